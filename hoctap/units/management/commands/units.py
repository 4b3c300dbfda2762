from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import CommandError, CommandParser

from hoctap.core.commands import JsonCommand, parse_date_arg
from hoctap.core.errors import NotInScope
from hoctap.units.selectors import level_from_text, unit_resolve, units_valid_on
from hoctap.units.serializers import unit_to_dict


class Command(JsonCommand):
    help = (
        "Liệt kê các đơn vị hành chính có hiệu lực vào một ngày. CODE của --under được hiểu theo các đơn vị "
        "có hiệu lực ngày --as-of (mã được dùng lại sau 1/7/2025)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, help="Ngày YYYY-MM-DD.")
        parser.add_argument(
            "--under", default=None, metavar="CODE", help="Chỉ các đơn vị thuộc đơn vị mã CODE."
        )
        parser.add_argument("--level", default=None, help="province|district|commune (hoặc tinh|huyen|xa).")
        parser.add_argument("--search", default="", help="Tìm theo tên, không phân biệt dấu.")
        self.add_json_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        on = parse_date_arg(options["as_of"])
        try:
            level = level_from_text(options["level"]) if options["level"] else None
            under = unit_resolve(code=options["under"], on=on) if options["under"] else None
        except (ValueError, NotInScope) as exc:
            raise CommandError(str(exc)) from exc
        units = list(units_valid_on(on=on, level=level, under=under, search=options["search"]))
        by_level = Counter(u.level for u in units)
        by_kind = Counter(u.kind for u in units)
        payload = {
            "as_of": on.isoformat(),
            "under": unit_to_dict(under) if under else None,
            "level": level,
            "count": len(units),
            "counts_by_level": dict(sorted(by_level.items())),
            "counts_by_kind": dict(sorted(by_kind.items())),
            "units": [unit_to_dict(u) for u in units],
        }
        lines = [f"{u.code}\t{u.name}\t{u.get_kind_display()}" for u in units]
        lines.append(f"Tổng: {len(units)} đơn vị có hiệu lực ngày {on:%d/%m/%Y}.")
        self.emit(payload, as_json=options["json"], summary="\n".join(lines))
