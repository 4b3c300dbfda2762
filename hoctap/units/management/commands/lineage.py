from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from hoctap.core.commands import JsonCommand, parse_date_arg
from hoctap.core.errors import NotInScope
from hoctap.units.selectors import level_from_text, unit_predecessors, unit_resolve, unit_successors
from hoctap.units.serializers import lineage_to_dict, unit_to_dict


class Command(JsonCommand):
    help = "Các đơn vị tiền thân và kế thừa của đơn vị mã CODE có hiệu lực ngày --as-of."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", metavar="CODE")
        parser.add_argument("--as-of", required=True, help="Ngày YYYY-MM-DD dùng để hiểu mã CODE.")
        parser.add_argument(
            "--level", default=None, help="province|district|commune khi mã trùng giữa các cấp."
        )
        self.add_json_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        on = parse_date_arg(options["as_of"])
        try:
            level = level_from_text(options["level"]) if options["level"] else None
            unit = unit_resolve(code=options["code"], on=on, level=level)
        except (ValueError, NotInScope) as exc:
            raise CommandError(str(exc)) from exc
        preds, succs = unit_predecessors(unit), unit_successors(unit)
        payload = {
            "as_of": on.isoformat(),
            "unit": unit_to_dict(unit),
            "predecessors": [lineage_to_dict(r) for r in preds],
            "successors": [lineage_to_dict(r) for r in succs],
        }
        lines = [f"{unit.name} ({unit.code}, {unit.valid_from:%d/%m/%Y} – {unit.valid_to or '…'})"]
        lines += [f"  ← {r.unit.code} {r.unit.name} [{r.kind_label}]" for r in preds]
        lines += [
            f"  → {r.unit.code} {r.unit.name} [{r.kind_label}{', mặc định' if r.is_default else ''}]"
            for r in succs
        ]
        self.emit(payload, as_json=options["json"], summary="\n".join(lines))
