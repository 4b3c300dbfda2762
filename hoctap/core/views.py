from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hoctap.accounts.permissions import active_assignments, scope_for
from hoctap.core.permissions import Perm, Role


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what this user does in hoctap, and where."""
    cards = []
    for a in active_assignments(request.user):
        role = Role(a.role)
        target = a.unit or a.village or a.organisation
        cards.append({"role": role.label, "target": target, "unit": a.unit, "since": a.valid_from})
    context = {
        "cards": cards,
        "can_browse_units": _can_browse(request),
        "is_citizen": any(Role(a.role) == Role.CITIZEN for a in active_assignments(request.user)),
    }
    return render(request, "core/home.html", context)


def _can_browse(request: HttpRequest) -> bool:
    scope = scope_for(request.user, Perm.UNITS_VIEW)
    return scope.everything or bool(scope.unit_ids)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)
