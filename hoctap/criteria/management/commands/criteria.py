from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError

from hoctap.core.commands import JsonCommand
from hoctap.core.errors import NotInScope, ServiceError
from hoctap.criteria.models import CriteriaSetStatus
from hoctap.criteria.schema import diff_versions
from hoctap.criteria.selectors import criteria_catalogue, criteria_set_resolve
from hoctap.criteria.services import criteria_set_activate, criteria_set_import


class Command(JsonCommand):
    help = (
        "Bộ tiêu chí: list (liệt kê), show CODE (cây tiêu chí), import FILE [--activate], "
        "export CODE --out FILE, diff CODE V1 V2. Đọc từ cơ sở dữ liệu, hoặc từ các tệp phát hành kèm "
        "khi cơ sở dữ liệu chưa có."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = sub.add_parser("list", help="Liệt kê các bộ tiêu chí và phiên bản.")
        self.add_json_argument(listing)
        show = sub.add_parser("show", help="Cây tiêu chí của một phiên bản.")
        show.add_argument("code", metavar="CODE")
        show.add_argument("--version", type=int, default=None, help="Số phiên bản (mặc định: đang áp dụng).")
        self.add_json_argument(show)
        imp = sub.add_parser("import", help="Nạp một tệp bộ tiêu chí (YAML hoặc JSON).")
        imp.add_argument("file", metavar="FILE")
        imp.add_argument("--activate", action="store_true", help="Áp dụng phiên bản vừa nạp.")
        self.add_json_argument(imp)
        export = sub.add_parser("export", help="Xuất một phiên bản ra tệp YAML (hoặc JSON nếu tên .json).")
        export.add_argument("code", metavar="CODE")
        export.add_argument("--version", type=int, default=None)
        export.add_argument("--out", required=True, metavar="FILE", help="Tệp ra; '-' để in ra màn hình.")
        diff = sub.add_parser("diff", help="Những gì thay đổi giữa hai phiên bản.")
        diff.add_argument("code", metavar="CODE")
        diff.add_argument("v1", type=int, metavar="V1")
        diff.add_argument("v2", type=int, metavar="V2")
        self.add_json_argument(diff)

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"_{options['action']}")
        try:
            handler(options)
        except (NotInScope, ServiceError) as exc:
            problems = getattr(exc, "problems", [str(exc)])
            if options.get("json"):
                self.stdout.write(json.dumps({"error": str(exc), "problems": problems}, ensure_ascii=False))
            raise CommandError(str(exc)) from exc

    def _list(self, options: dict[str, Any]) -> None:
        payload = criteria_catalogue()
        lines = []
        for item in payload["sets"]:
            for v in item["versions"]:
                flag = " [chưa xác nhận]" if v["unconfirmed"] else ""
                lines.append(f"{item['code']}@{v['version']}\t{v['status']}\t{v['title']}{flag}")
        self.emit(payload, as_json=options["json"], summary="\n".join(lines))

    def _show(self, options: dict[str, Any]) -> None:
        cs, meta = criteria_set_resolve(code=options["code"], version=options["version"])
        payload = {**cs.to_dict(), **meta}
        lines = [f"{cs.key} — {cs.title} ({meta['status']})"]
        for tree in cs.criteria_trees():
            for criterion in tree:
                lines.append(f"  {criterion.code}. {criterion.title}")
                for ind in criterion.indicators:
                    flag = " [chưa xác nhận]" if ind.unconfirmed else ""
                    lines.append(f"    {ind.code} ({ind.kind}) {ind.title}{flag}")
        self.emit(payload, as_json=options["json"], summary="\n".join(lines))

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}.") from exc
        try:
            record, created = criteria_set_import(actor=None, content=content, file_name=path.name)
            activated = False
            if options["activate"] and record.status != CriteriaSetStatus.ACTIVE:
                record = criteria_set_activate(actor=None, criteria_set=record)
                activated = True
        except DatabaseError as exc:
            raise CommandError("Cơ sở dữ liệu chưa sẵn sàng; hãy chạy `hoctap migrate` trước.") from exc
        payload = {
            "code": record.code,
            "version": record.version,
            "created": created,
            "activated": activated,
            "status": record.status,
            "sha256": record.sha256,
            "unconfirmed": record.unconfirmed,
        }
        verb = "Đã nạp" if created else "Không đổi (nội dung giống hệt)"
        summary = f"{verb}: {record.key} — {record.get_status_display()}."
        self.emit(payload, as_json=options["json"], summary=summary)

    def _export(self, options: dict[str, Any]) -> None:
        cs, _meta = criteria_set_resolve(code=options["code"], version=options["version"])
        out = options["out"]
        data = cs.to_dict()
        if out.endswith(".json"):
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
        if out == "-":
            self.stdout.write(text, ending="")
            return
        Path(out).write_text(text, encoding="utf-8")
        self.stdout.write(f"Đã xuất {cs.key} ra {out}.")

    def _diff(self, options: dict[str, Any]) -> None:
        code = options["code"]
        a, _ = criteria_set_resolve(code=code, version=options["v1"])
        b, _ = criteria_set_resolve(code=code, version=options["v2"])
        changes = [c.to_dict() for c in diff_versions(a, b)]
        payload = {"code": code, "from": a.version, "to": b.version, "changes": changes}
        lines = [f"{c['kind']}\t{c['path']}\t{c['before']!r} → {c['after']!r}" for c in changes]
        lines.append(f"{len(changes)} thay đổi từ {a.key} đến {b.key}.")
        self.emit(payload, as_json=options["json"], summary="\n".join(lines))
