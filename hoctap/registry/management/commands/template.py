"""hoctap template KIND --out FILE [--unit CODE] [--year YYYY]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from hoctap.core.commands import JsonCommand
from hoctap.core.errors import NotInScope
from hoctap.registry.imports import IMPORTERS, ImportContext, import_commune_resolve
from hoctap.registry.imports.templates import write_import_template


class Command(JsonCommand):
    help = (
        "Ghi tệp Excel mẫu để nhập hàng loạt (trang dữ liệu, trang Hướng dẫn, danh sách thả xuống). "
        "Với --unit CODE (mã xã theo đơn vị có hiệu lực hôm nay, "
        "hoặc ngày 31/12/YYYY nếu --year trước 2025), "
        "cột Thôn/Tổ dân phố có danh sách thả xuống các thôn của xã đó."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="Loại dữ liệu: " + ", ".join(sorted(IMPORTERS)) + ".")
        parser.add_argument("--out", required=True, metavar="FILE", help="Đường dẫn tệp .xlsx sẽ ghi.")
        parser.add_argument("--unit", default=None, metavar="CODE", help="Mã xã/phường (không bắt buộc).")
        parser.add_argument("--year", type=int, default=None, help="Năm dữ liệu YYYY.")
        parser.add_argument("--model", default=None, help="Danh hiệu, với recognitions (gdht, cdht…).")
        self.add_json_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind not in IMPORTERS:
            raise CommandError(
                f"Loại dữ liệu không hợp lệ: {kind!r}. Dùng một trong: {', '.join(sorted(IMPORTERS))}."
            )
        ctx = None
        extra = {"model": options["model"], "year": options["year"]}
        if options["unit"]:
            try:
                unit, on = import_commune_resolve(code=options["unit"], year=options["year"])
            except NotInScope as exc:
                raise CommandError(str(exc)) from exc
            ctx = ImportContext(unit=unit, on=on, options=extra)
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"Thư mục {out.parent} không tồn tại.")
        if ctx is None and options["model"]:
            ctx = ImportContext(unit=None, on=None, options=extra)  # type: ignore[arg-type]
        write_import_template(kind, out, ctx)
        payload = {"kind": kind, "out": str(out), "unit": ctx.unit.code if ctx and ctx.unit else None}
        self.emit(payload, as_json=options["json"], summary=f"Đã ghi tệp mẫu {out}.")
