"""Shared pieces of the operator commands: --json output, dates, clear errors."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def parse_date_arg(value: str, option: str = "--as-of") -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{option}: ngày không hợp lệ {value!r}; dùng dạng YYYY-MM-DD.") from exc


class JsonCommand(BaseCommand):
    """A command that prints JSON with --json and a short human summary otherwise."""

    def add_json_argument(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON (UTF-8).")

    def emit(self, payload: dict[str, Any], *, as_json: bool, summary: str) -> None:
        if as_json:
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(summary)
