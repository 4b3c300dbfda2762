from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hoctap.accounts.permissions import has_perm, scope_for
from hoctap.core.permissions import Perm
from hoctap.core.selectors import audit_list_for_unit
from hoctap.units.models import UnitVersion
from hoctap.units.selectors import (
    unit_ancestors,
    unit_children_on,
    unit_predecessors,
    unit_successors,
    units_valid_on,
    villages_of_commune,
)


def _as_of(request: HttpRequest) -> date:
    raw = request.GET.get("ngay", "")
    try:
        return date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _visible_unit(request: HttpRequest, public_id: str) -> UnitVersion:
    scope = scope_for(request.user, Perm.UNITS_VIEW)
    qs = scope.filter_units(UnitVersion.objects.select_related("parent", "province", "district"))
    return get_object_or_404(qs, public_id=public_id)


@require_GET
@login_required
def unit_browser(request: HttpRequest) -> HttpResponse:
    """The units the user may see, as the hierarchy stood on the chosen date; search ignores diacritics."""
    on = _as_of(request)
    query = request.GET.get("q", "").strip()
    scope = scope_for(request.user, Perm.UNITS_VIEW)
    if not (scope.everything or scope.unit_ids):
        raise Http404
    visible = scope.filter_units(units_valid_on(on=on, search=query))
    if query:
        roots = list(visible[:200])
    else:
        roots = [u for u in visible if u.parent_id is None or not scope.has_unit(u.parent_id)]
        roots = roots[:200]
    return render(request, "units/browser.html", {"on": on, "q": query, "roots": roots})


@require_GET
@login_required
def unit_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    unit = _visible_unit(request, public_id)
    on = _as_of(request) if "ngay" in request.GET else (unit.valid_to or timezone.localdate())
    if not unit.is_valid_on(on):
        on = unit.valid_to or unit.valid_from
    scope = scope_for(request.user, Perm.UNITS_VIEW)
    children = [c for c in unit_children_on(unit=unit, on=on) if scope.has_unit(c.pk)]
    context = {
        "unit": unit,
        "on": on,
        "ancestors": [a for a in unit_ancestors(unit) if scope.has_unit(a.pk)],
        "children": children,
        "predecessors": unit_predecessors(unit),
        "successors": unit_successors(unit),
        "visible_ids": scope.unit_ids,
        "sees_everything": scope.everything,
        "villages": list(villages_of_commune(commune=unit, on=on)[:500]) if unit.level == "commune" else [],
        "can_audit": has_perm(request.user, Perm.AUDIT_VIEW, unit),
    }
    return render(request, "units/detail.html", context)


@require_GET
@login_required
def unit_audit(request: HttpRequest, public_id: str) -> HttpResponse:
    unit = _visible_unit(request, public_id)
    if not has_perm(request.user, Perm.AUDIT_VIEW, unit):
        return render(request, "403.html", status=403)
    page = Paginator(audit_list_for_unit(user=request.user, unit=unit), 50).get_page(request.GET.get("trang"))
    return render(request, "units/audit.html", {"unit": unit, "page": page})
