from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from hoctap.core.commands import JsonCommand
from hoctap.units.services import SnapshotFormatError, units_load_snapshot


class Command(JsonCommand):
    help = "Nạp hoặc làm mới đơn vị hành chính và quan hệ kế thừa từ bản dữ liệu đi kèm (chạy lại an toàn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--snapshot", type=Path, default=None, help="Tệp .json.gz khác bản đi kèm.")
        self.add_json_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            report = units_load_snapshot(path=options["snapshot"])
        except SnapshotFormatError as exc:
            raise CommandError(str(exc)) from exc
        seconds = round(time.perf_counter() - started, 2)
        payload = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "lineage_created": report.lineage_created,
            "counts": report.counts,
            "seconds": seconds,
        }
        summary = (
            f"Đã nạp đơn vị hành chính: {report.created} mới, {report.updated} cập nhật, "
            f"{report.unchanged} không đổi, {report.lineage_created} quan hệ kế thừa mới ({seconds} giây)."
        )
        self.emit(payload, as_json=options["json"], summary=summary)
