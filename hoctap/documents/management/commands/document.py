"""hoctap document sample TYPE --rows N --format docx|pdf --out FILE"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from hoctap.core.commands import JsonCommand
from hoctap.documents.rendering import SAMPLE_TYPES, render_sample


class Command(JsonCommand):
    help = (
        "Văn bản hành chính theo Nghị định 30/2020/NĐ-CP. `document sample TYPE` ghi một văn bản mẫu "
        "(qd, ttr, bc, bb, kh, tb, certificates) với N dòng danh sách kèm theo (hoặc N giấy chứng nhận)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sample = sub.add_parser("sample", help="Ghi văn bản mẫu để kiểm tra và đo hiệu năng.")
        sample.add_argument("type", metavar="TYPE", help=", ".join(SAMPLE_TYPES) + ".")
        sample.add_argument(
            "--rows", type=int, default=20, help="Số dòng danh sách (hoặc số giấy chứng nhận)."
        )
        sample.add_argument("--format", dest="fmt", choices=["docx", "pdf"], default="docx")
        sample.add_argument("--out", required=True, metavar="FILE", help="Tệp sẽ ghi.")
        self.add_json_argument(sample)

    def handle(self, *args: Any, **options: Any) -> None:
        doc_type, rows, fmt, out = options["type"], options["rows"], options["fmt"], Path(options["out"])
        if doc_type not in SAMPLE_TYPES:
            raise CommandError(
                f"Loại văn bản không hợp lệ: {doc_type!r}. Dùng một trong: {', '.join(SAMPLE_TYPES)}."
            )
        if rows < 0 or rows > 100_000:
            raise CommandError("--rows phải từ 0 đến 100000.")
        if doc_type == "certificates" and fmt != "pdf":
            raise CommandError("Giấy chứng nhận chỉ xuất dạng PDF (--format pdf).")
        if not out.parent.is_dir():
            raise CommandError(f"Thư mục {out.parent} không tồn tại.")
        started = time.perf_counter()
        data = render_sample(doc_type, rows=rows, fmt=fmt)
        out.write_bytes(data)
        seconds = round(time.perf_counter() - started, 3)
        payload = {"type": doc_type, "rows": rows, "format": fmt, "out": str(out), "bytes": len(data),
                   "seconds": seconds}  # fmt: skip
        self.emit(
            payload,
            as_json=options.get("json", False),
            summary=f"Đã ghi {out} ({len(data)} byte, {seconds} giây).",
        )
