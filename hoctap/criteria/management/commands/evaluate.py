from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from hoctap.core.commands import JsonCommand
from hoctap.core.errors import NotInScope
from hoctap.criteria.evaluation import EvaluationInputError, evaluate_payload
from hoctap.criteria.evaluation.inputs import parse_date
from hoctap.criteria.selectors import criteria_set_resolve


class Command(JsonCommand):
    help = (
        "Đánh giá theo một bộ tiêu chí (hàm đánh giá thuần): tổng điểm, điểm từng tiêu chí, mức hoặc "
        'đạt/chưa đạt và lý do. ANSWERS: {"answers": {"1.1": 10, ...}, "context": {...}, '
        '"level": "muc-1"|null, "evaluated_on": "YYYY-MM-DD", "subject_group": ...}.'
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # --version V selects a criteria set version here (it replaces Django's --version).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--criteria-set", required=True, metavar="CODE", help="Mã bộ tiêu chí.")
        parser.add_argument(
            "--version", type=int, default=None, help="Số phiên bản (mặc định: đang áp dụng)."
        )
        parser.add_argument(
            "--answers", required=True, metavar="FILE", help="Tệp JSON câu trả lời; '-' đọc stdin."
        )
        self.add_json_argument(parser)

    def _read(self, source: str) -> Any:
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp câu trả lời {source}: {exc.strerror}.") from exc
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"Tệp câu trả lời không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})."
            ) from exc

    def handle(self, *args: Any, **options: Any) -> None:
        payload = self._read(options["answers"])
        raw_day = payload.get("evaluated_on") if isinstance(payload, dict) else None
        try:
            cs, _meta = criteria_set_resolve(
                code=options["criteria_set"], version=options["version"], on=parse_date(raw_day)
            )
        except NotInScope as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = evaluate_payload(criteria_set=cs, payload=payload)
        except EvaluationInputError as exc:
            if options["json"]:
                error = {
                    "error": "Dữ liệu đánh giá không hợp lệ.",
                    "errors": exc.errors,
                    "missing": exc.missing,
                }
                self.stdout.write(json.dumps(error, ensure_ascii=False, indent=2))
            raise CommandError("\n".join(exc.errors)) from exc
        data = result.to_dict()
        verdict = "ĐẠT" if result.passed else "CHƯA ĐẠT"
        level = f" — {result.level}" if result.level else ""
        summary = "\n".join([f"{cs.key}: {verdict}{level}", *result.reasons])
        self.emit(data, as_json=options["json"], summary=summary)
