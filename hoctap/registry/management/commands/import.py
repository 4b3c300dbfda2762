"""hoctap import KIND FILE --unit CODE [--year YYYY] [--dry-run] --json"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from hoctap.core.commands import JsonCommand
from hoctap.core.errors import NotInScope, ServiceError
from hoctap.registry.imports import IMPORTERS, import_commune_resolve, import_run, report_file


class Command(JsonCommand):
    help = (
        "Nhập hàng loạt từ tệp Excel (.xlsx), theo nguyên tắc tất cả hoặc không: tệp có bất kỳ dòng lỗi nào "
        "thì không ghi gì và trả về báo cáo lỗi (mã thoát khác 0). Nhập lại cùng tệp không thay đổi gì. "
        "CODE là mã xã/phường theo các đơn vị có hiệu lực hôm nay; với --year YYYY trước năm 2025 "
        "(tức 31/12/YYYY trước ngày 1/7/2025), CODE và danh sách thôn được hiểu theo các đơn vị có hiệu lực "
        "ngày 31/12/YYYY (xã cũ trước sắp xếp), vì mã xã được dùng lại sau 1/7/2025. Chạy với quyền hệ thống."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="Loại dữ liệu: " + ", ".join(sorted(IMPORTERS)) + ".")
        parser.add_argument("file", help="Tệp .xlsx theo mẫu (hoctap template KIND --out FILE).")
        parser.add_argument("--unit", required=True, metavar="CODE", help="Mã xã/phường (xem ở trên).")
        parser.add_argument("--year", type=int, default=None, help="Năm dữ liệu YYYY (xem ở trên).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và đếm, không ghi dữ liệu.")
        parser.add_argument(
            "--model",
            default=None,
            help="Danh hiệu (gdht, dhht, cdht-thon, dvht-xa, cdht), bắt buộc với recognitions.",
        )
        self.add_json_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        kind, path = options["kind"], Path(options["file"])
        if kind not in IMPORTERS:
            raise CommandError(
                f"Loại dữ liệu không hợp lệ: {kind!r}. Dùng một trong: {', '.join(sorted(IMPORTERS))}."
            )
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        year = options["year"]
        if year is not None and not 1945 <= year <= 2100:
            raise CommandError(f"--year: năm không hợp lệ {year}.")
        try:
            unit, on = import_commune_resolve(code=options["unit"], year=year)
            batch = import_run(
                kind=kind, data=path.read_bytes(), file_name=path.name, unit=unit, on=on, year=year,
                actor=None, dry_run=options["dry_run"], system=True,
                options={"model": options["model"], "year": year},
            )  # fmt: skip
        except (NotInScope, ServiceError) as exc:
            raise CommandError(str(exc)) from exc
        counts = batch.counts
        report, report_json = report_file(batch), report_file(batch, ".json")
        payload = {
            "kind": kind,
            "file": str(path),
            "unit": {"code": unit.code, "name": unit.name, "public_id": unit.public_id},
            "as_of": on.isoformat(),
            "year": year,
            "dry_run": options["dry_run"],
            "status": batch.status,
            "batch": batch.public_id,
            "counts": {
                "rows_read": counts.get("rows", 0),
                "created": counts.get("created", 0),
                "updated": counts.get("updated", 0),
                "unchanged": counts.get("unchanged", 0),
                "errors": counts.get("errors", 0),
            },
            "report": str(report) if report else None,
            "report_json": str(report_json) if report_json else None,
        }
        c = payload["counts"]
        summary = (
            f"{batch.get_status_display()}: {c['rows_read']} dòng, tạo mới {c['created']}, "
            f"cập nhật {c['updated']}, "
            f"không đổi {c['unchanged']}, lỗi {c['errors']}. Lần nhập {batch.public_id}."
            + (f"\nBáo cáo lỗi: {report}" if report else "")
        )
        self.emit(payload, as_json=options["json"], summary=summary)
        if batch.status == batch.Status.REJECTED:
            raise CommandError(
                f"Tệp có {c['errors']} lỗi; không có dữ liệu nào được ghi. Xem báo cáo lỗi: {report}",
                returncode=2,
            )
