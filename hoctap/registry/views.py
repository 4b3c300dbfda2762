"""Registry screens: lists with filters and paging, detail pages with history, forms that call services.

Reads go through registry.selectors (scoped: what a user cannot see answers 404); writes through
registry.services. A user who sees an object but may not edit it gets 403 on the write views.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoctap.accounts.permissions import has_perm, scope_for
from hoctap.core.audit import object_key
from hoctap.core.errors import NotInScope, PermissionDeniedError, ServiceError
from hoctap.core.permissions import Perm
from hoctap.core.selectors import audit_list_for_object
from hoctap.core.text import fold
from hoctap.registry import services
from hoctap.registry.cccd import mask_cccd
from hoctap.registry.exports import SYNC_LIMIT_ROWS, export_file_path
from hoctap.registry.exports import household_export as household_export_xlsx
from hoctap.registry.filters import (
    as_of,
    household_filters,
    household_params,
    households_listed,
    selected_commune,
    selected_village,
)
from hoctap.registry.forms import (
    CitizenForm,
    CitizenMoveForm,
    ClanForm,
    ClanHouseholdForm,
    HouseholdForm,
    HouseholdMoveForm,
    HouseholdStatusForm,
)
from hoctap.registry.models import Citizen, Clan, ExportFile, Household, HouseholdStatus
from hoctap.registry.selectors import (
    citizen_get_for_user,
    citizen_households,
    citizen_list_for_user,
    citizen_list_wide_for_user,
    clan_get_for_user,
    clan_list_for_user,
    communes_for_user,
    household_counts_by_village,
    household_get_for_user,
    household_list_for_user,
    household_members,
    household_residences,
    scope_is_wide,
    village_ids_for_user,
    villages_on,
)
from hoctap.registry.tasks import household_export_process
from hoctap.units.models import UnitVersion, Village, VillageParent, valid_on_q

PAGE_SIZE = 50
MAX_PAGE = 200  # offset paging with a cap: beyond 10,000 rows, narrow the filters
_M = TypeVar("_M", bound=Model)
FORM_TEMPLATE = "registry/form.html"


# --- shared helpers --------------------------------------------------------------------------------------


def _page(request: HttpRequest, qs: QuerySet[_M]) -> dict[str, Any]:
    """One page of `qs` without COUNT(*): fetch one extra row to know whether a next page exists."""
    try:
        number = min(max(int(request.GET.get("trang", "1")), 1), MAX_PAGE)
    except ValueError:
        number = 1
    start = (number - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("trang", None)
    return {
        "rows": rows[:PAGE_SIZE],
        "number": number,
        "has_prev": number > 1,
        "has_next": len(rows) > PAGE_SIZE and number < MAX_PAGE,
        "capped": len(rows) > PAGE_SIZE and number == MAX_PAGE,
        "query": query.urlencode(),
        "first_index": start + 1,
    }


def _communes_by_village(village_ids: set[int], on: date | None = None) -> dict[int, UnitVersion]:
    """The commune of each village on `on` (default today), in one query (lists show it without N+1)."""
    links = VillageParent.objects.filter(valid_on_q(on or timezone.localdate()), village_id__in=village_ids)
    return {link.village_id: link.commune for link in links.select_related("commune")}


def _as_of(request: HttpRequest) -> tuple[date | None, str]:
    return as_of(request.GET)


def _village_choices(user: Any, perm: Perm = Perm.REGISTRY_EDIT) -> list[tuple[str, str]]:
    links = (
        VillageParent.objects.filter(
            valid_on_q(timezone.localdate()), village__in=village_ids_for_user(user=user, perm=perm)
        )
        .select_related("village", "commune")
        .order_by("commune__name", "village__name")
    )
    return [(link.village.public_id, f"{link.village.name} — {link.commune.name}") for link in links]


def _editable(user: Any, village: Village) -> bool:
    commune = services.commune_of_village(village)
    if has_perm(user, Perm.REGISTRY_EDIT, commune):
        return True
    return village_ids_for_user(user=user, perm=Perm.REGISTRY_EDIT).filter(pk=village.pk).exists()


def _deny_or_hide(user: Any, village: Village | None) -> None:
    """The object exists but is not editable: 403 when the user sees its unit at all, else 404."""
    if village is not None:
        visible = scope_for(user, None)
        commune = services.commune_of_village(village)
        if visible.has_unit(commune.pk) or village.pk in visible.village_ids:
            raise PermissionDenied
    raise Http404


def _refuse(user: Any) -> None:
    """No editable unit at all: 403 for a user who sees some unit, 404 for everyone else."""
    if scope_for(user, None).empty:
        raise Http404
    raise PermissionDenied


def _household_for_edit(request: HttpRequest, public_id: str) -> Household:
    household = household_get_for_user(user=request.user, public_id=public_id, perm=Perm.REGISTRY_EDIT)
    if household is None:
        found = Household.objects.select_related("village").filter(public_id=public_id).first()
        _deny_or_hide(request.user, found.village if found else None)
        raise Http404
    return household


def _citizen_for_edit(request: HttpRequest, public_id: str) -> Citizen:
    citizen = citizen_get_for_user(user=request.user, public_id=public_id, perm=Perm.REGISTRY_EDIT)
    if citizen is None:
        found = Citizen.objects.select_related("household__village").filter(public_id=public_id).first()
        _deny_or_hide(request.user, found.household.village if found and found.household else None)
        raise Http404
    return citizen


def _clan_for_edit(request: HttpRequest, public_id: str) -> Clan:
    clan = clan_get_for_user(user=request.user, public_id=public_id, perm=Perm.REGISTRY_EDIT)
    if clan is None:
        found = Clan.objects.filter(public_id=public_id).first()
        if found is not None and scope_for(request.user, None).has_unit(found.commune_id):
            raise PermissionDenied
        raise Http404
    return clan


def _call(request: HttpRequest, form: Any, action: Callable[[], Any]) -> Any:
    """Run a service; map its errors to 404/403 or to messages on the form. Returns None on failure."""
    try:
        return action()
    except NotInScope as exc:
        raise Http404 from exc
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except services.ValidationFailed as exc:
        for field, problems in exc.errors.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    except ServiceError as exc:
        form.add_error(None, str(exc))
    return None


def _history(user: Any, obj: Model, village: Village | None) -> list[Any]:
    object_type, object_id = object_key(obj)
    unit = services.commune_of_village(village) if village is not None else None
    return list(
        audit_list_for_object(user=user, object_type=object_type, object_id=object_id, unit=unit)[:100]
    )


def _form_page(request: HttpRequest, form: Any, *, title: str, back: str, status: int = 200) -> HttpResponse:
    return render(request, FORM_TEMPLATE, {"form": form, "title": title, "back": back}, status=status)


def _selected_commune(request: HttpRequest, on: date | None = None) -> UnitVersion | None:
    return selected_commune(request.user, request.GET, on)


def _selected_village(request: HttpRequest) -> Village | None:
    return selected_village(request.user, request.GET)


def _require_view(request: HttpRequest) -> None:
    if scope_for(request.user, Perm.REGISTRY_VIEW).empty:
        raise Http404


# --- households ------------------------------------------------------------------------------------------


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("registry:households")


@require_GET
@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    day_error = _as_of(request)[1]
    f = household_filters(request.user, request.GET)
    day, commune, village, status, search = f.day, f.commune, f.village, f.status, f.search
    page = _page(request, households_listed(request.user, f))
    _place_households(page["rows"], day)
    context = {
        "page": page,
        "communes": list(communes_for_user(user=request.user, on=day).order_by("name")[:300]),
        "villages": _village_filter(request, commune, day),
        "commune": commune,
        "village": village,
        "day": day,
        "day_error": day_error,
        "status": status,
        "statuses": HouseholdStatus.choices,
        "q": search,
        "can_edit": has_perm(request.user, Perm.REGISTRY_EDIT)
        or bool(scope_for(request.user, Perm.REGISTRY_EDIT).village_ids),
    }
    return render(request, "registry/household_list.html", context)


@require_GET
@login_required
def household_export(request: HttpRequest) -> HttpResponseBase:
    """The household list as an Excel file (the import's columns first), with the list's filters; audited.

    Up to SYNC_LIMIT_ROWS rows the file comes at once; a larger list is built by a background task and the
    user is sent to a page that shows its progress and then the download link.
    """
    _require_view(request)
    f = household_filters(request.user, request.GET)
    households, params = households_listed(request.user, f), household_params(request.GET)
    if households.count() > SYNC_LIMIT_ROWS:
        creator: Any = request.user  # login_required: a real user
        export = ExportFile.objects.create(kind="households", params=params, created_by=creator)
        transaction.on_commit(lambda: household_export_process.enqueue(export_id=export.pk))
        return redirect("registry:export", public_id=export.public_id)
    out = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - deleted when the response closes it
    household_export_xlsx(
        actor=request.user, households=households, out=Path(out.name), on=f.day, filters=params
    )
    return FileResponse(out, as_attachment=True, filename=_export_name(f.day))


def _export_name(day: date | None) -> str:
    return f"ho-gia-dinh-{(day or timezone.localdate()):%Y%m%d}.xlsx"


def _own_export(request: HttpRequest, public_id: str) -> ExportFile:
    """An export of the current user (anyone else's is 404)."""
    export = ExportFile.objects.filter(public_id=public_id, created_by_id=request.user.pk).first()
    if export is None:
        raise Http404
    return export


@require_GET
@login_required
def export_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The state of a background export (polled by htmx while it is being built) and its download link."""
    export = _own_export(request, public_id)
    template = "registry/_export_state.html" if request.headers.get("HX-Request") else "registry/export.html"
    return render(request, template, {"export": export, "ready": export_file_path(export) is not None})


@require_GET
@login_required
def export_download(request: HttpRequest, public_id: str) -> FileResponse:
    export = _own_export(request, public_id)
    path = export_file_path(export)
    if path is None:
        raise Http404
    day = household_filters(request.user, export.params).day
    return FileResponse(path.open("rb"), as_attachment=True, filename=_export_name(day))


def _village_filter(
    request: HttpRequest, commune: UnitVersion | None, on: date | None = None
) -> list[Village]:
    if commune is None:
        return []
    links = VillageParent.objects.filter(valid_on_q(on or timezone.localdate()), commune=commune)
    return list(village_ids_for_user(user=request.user).filter(pk__in=links.values("village_id"))[:500])


def _place_households(households: list[Any], day: date | None) -> None:
    """Set `place` (the village; on `day`, the one the household lived in then), `commune` (of that village,
    then) and the masked CCCD on a page of households, in at most three queries."""
    village_of = villages_on(households, day) if day else {h.pk: h.village_id for h in households}
    known = {h.village_id: h.village for h in households}
    missing = set(village_of.values()) - set(known)
    known.update(Village.objects.in_bulk(missing) if missing else {})
    communes = _communes_by_village(set(village_of.values()), day)
    for household in households:
        village_id = village_of.get(household.pk)
        household.place = known.get(village_id) if village_id else None
        household.commune = communes.get(village_id) if village_id else None
        household.cccd_masked = mask_cccd(household.head_cccd) if household.head_cccd else ""


@require_GET
@login_required
def household_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    household = household_get_for_user(user=request.user, public_id=public_id)
    if household is None:
        raise Http404
    commune = services.commune_of_village(household.village)
    context = {
        "household": household,
        "commune": commune,
        "cccd_masked": mask_cccd(household.head_cccd) if household.head_cccd else "",
        "can_view_cccd": has_perm(request.user, Perm.REGISTRY_VIEW_CCCD, commune),
        "can_edit": _editable(request.user, household.village),
        "residences": household_residences(household),
        "memberships": household_members(household),
        "clans": household.clan_memberships.select_related("clan").order_by("-valid_from"),
        "history": _history(request.user, household, household.village),
        "status_form": HouseholdStatusForm(),
    }
    return render(request, "registry/household_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    choices = _village_choices(request.user)
    if not choices:
        _refuse(request.user)
    initial = {"village": request.GET.get("thon", "")}
    form = HouseholdForm(request.POST or None, villages=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        village = village_ids_for_user(user=request.user, perm=Perm.REGISTRY_EDIT).get(
            public_id=form.cleaned_data["village"]
        )
        household = _call(
            request,
            form,
            lambda: services.household_create(actor=request.user, village=village, data=form.data_object()),
        )
        if household is not None:
            messages.success(request, f"Đã thêm hộ {household.head_name} (mã hộ {household.code}).")
            return redirect("registry:household", household.public_id)
    return _form_page(request, form, title="Thêm hộ gia đình", back=reverse("registry:households"))


@require_http_methods(["GET", "POST"])
@login_required
def household_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    household = _household_for_edit(request, public_id)
    initial = {f: getattr(household, f) for f in services.HOUSEHOLD_FIELDS} | {
        "version": household.updated_at
    }
    initial["head_cccd"] = household.head_cccd or ""
    form = HouseholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"] or household.updated_at
        updated = _call(
            request,
            form,
            lambda: services.household_update(
                actor=request.user, household=household, data=form.data_object(), expected_updated_at=version
            ),
        )
        if updated is not None:
            messages.success(request, "Đã lưu thông tin hộ.")
            return redirect("registry:household", household.public_id)
    back = reverse("registry:household", args=[household.public_id])
    return _form_page(request, form, title=f"Sửa thông tin hộ {household.head_name}", back=back)


@require_http_methods(["GET", "POST"])
@login_required
def household_move(request: HttpRequest, public_id: str) -> HttpResponse:
    household = _household_for_edit(request, public_id)
    choices = [c for c in _village_choices(request.user) if c[0] != household.village.public_id]
    form = HouseholdMoveForm(request.POST or None, villages=choices)
    if request.method == "POST" and form.is_valid():
        target = village_ids_for_user(user=request.user, perm=Perm.REGISTRY_EDIT).get(
            public_id=form.cleaned_data["village"]
        )
        moved = _call(
            request,
            form,
            lambda: services.household_move(
                actor=request.user, household=household, village=target, on=form.cleaned_data["on"]
            ),
        )
        if moved is not None:
            messages.success(request, f"Đã chuyển hộ đến {target.name}.")
            return redirect("registry:household", household.public_id)
    back = reverse("registry:household", args=[household.public_id])
    return _form_page(request, form, title=f"Chuyển nơi cư trú của hộ {household.head_name}", back=back)


@require_http_methods(["GET", "POST"])
@login_required
def household_status(request: HttpRequest, public_id: str) -> HttpResponse:
    household = _household_for_edit(request, public_id)
    form = HouseholdStatusForm(request.POST or None, initial={"status": household.status})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changed = _call(
            request,
            form,
            lambda: services.household_set_status(
                actor=request.user, household=household, status=d["status"], on=d["on"], reason=d["reason"]
            ),
        )
        if changed is not None:
            messages.success(request, f"Đã cập nhật tình trạng: {changed.get_status_display()}.")
            return redirect("registry:household", household.public_id)
    back = reverse("registry:household", args=[household.public_id])
    return _form_page(request, form, title=f"Tình trạng của hộ {household.head_name}", back=back)


@require_POST
@login_required
def household_cccd(request: HttpRequest, public_id: str) -> HttpResponse:
    """htmx: the full CCCD of the household head, for users allowed to see it; audited."""
    household = household_get_for_user(user=request.user, public_id=public_id)
    if household is None:
        raise Http404
    return _reveal(request, household)


def _reveal(request: HttpRequest, obj: Household | Citizen) -> HttpResponse:
    try:
        number = services.cccd_reveal(actor=request.user, obj=obj)
    except (NotInScope, PermissionDeniedError) as exc:
        raise PermissionDenied from exc  # the caller has already found obj within the user's scope
    return render(request, "registry/_cccd_full.html", {"number": number})


# --- citizens --------------------------------------------------------------------------------------------


@require_GET
@login_required
def citizen_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    search = request.GET.get("q", "").strip()
    commune, village = _selected_commune(request), _selected_village(request)
    if commune is None and village is None and scope_is_wide(user=request.user):
        qs = citizen_list_wide_for_user(user=request.user, search=search)
    else:
        qs = citizen_list_for_user(user=request.user, commune=commune, village=village, search=search)
    page = _page(request, qs)
    for citizen in page["rows"]:
        citizen.cccd_masked = mask_cccd(citizen.cccd) if citizen.cccd else ""
    context = {
        "page": page,
        "q": search,
        "commune": commune,
        "village": village,
        "communes": list(communes_for_user(user=request.user).order_by("name")[:300]),
        "villages": _village_filter(request, commune),
    }
    return render(request, "registry/citizen_list.html", context)


@require_GET
@login_required
def citizen_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    citizen = citizen_get_for_user(user=request.user, public_id=public_id)
    if citizen is None or citizen.household is None:
        raise Http404
    village = citizen.household.village
    commune = services.commune_of_village(village)
    context = {
        "citizen": citizen,
        "commune": commune,
        "cccd_masked": mask_cccd(citizen.cccd) if citizen.cccd else "",
        "can_view_cccd": has_perm(request.user, Perm.REGISTRY_VIEW_CCCD, commune),
        "can_edit": _editable(request.user, village),
        "memberships": citizen_households(citizen),
        "history": _history(request.user, citizen, village),
    }
    return render(request, "registry/citizen_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def citizen_create(request: HttpRequest, public_id: str) -> HttpResponse:
    household = _household_for_edit(request, public_id)
    form = CitizenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        citizen = _call(
            request,
            form,
            lambda: services.citizen_create(actor=request.user, household=household, data=form.data_object()),
        )
        if citizen is not None:
            messages.success(request, f"Đã thêm {citizen.full_name} vào hộ.")
            return redirect("registry:household", household.public_id)
    back = reverse("registry:household", args=[household.public_id])
    return _form_page(request, form, title=f"Thêm nhân khẩu vào hộ {household.head_name}", back=back)


@require_http_methods(["GET", "POST"])
@login_required
def citizen_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    citizen = _citizen_for_edit(request, public_id)
    initial = {f: getattr(citizen, f) for f in services.CITIZEN_FIELDS} | {"version": citizen.updated_at}
    initial["cccd"] = citizen.cccd or ""
    form = CitizenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"] or citizen.updated_at
        updated = _call(
            request,
            form,
            lambda: services.citizen_update(
                actor=request.user, citizen=citizen, data=form.data_object(), expected_updated_at=version
            ),
        )
        if updated is not None:
            messages.success(request, "Đã lưu thông tin công dân.")
            return redirect("registry:citizen", citizen.public_id)
    back = reverse("registry:citizen", args=[citizen.public_id])
    return _form_page(request, form, title=f"Sửa thông tin {citizen.full_name}", back=back)


@require_http_methods(["GET", "POST"])
@login_required
def citizen_move(request: HttpRequest, public_id: str) -> HttpResponse:
    citizen = _citizen_for_edit(request, public_id)
    form = CitizenMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["household_code"].strip().upper()
        target = household_list_for_user(user=request.user, perm=Perm.REGISTRY_EDIT).filter(code=code).first()
        if target is None:
            form.add_error("household_code", "Không tìm thấy hộ có mã này trong phạm vi quản lý của bạn.")
        else:
            moved = _call(
                request,
                form,
                lambda: services.citizen_move(
                    actor=request.user,
                    citizen=citizen,
                    household=target,
                    on=form.cleaned_data["on"],
                    relationship=form.cleaned_data["relationship"],
                ),
            )
            if moved is not None:
                messages.success(request, f"Đã chuyển {citizen.full_name} sang hộ {target.head_name}.")
                return redirect("registry:citizen", citizen.public_id)
    back = reverse("registry:citizen", args=[citizen.public_id])
    return _form_page(request, form, title=f"Chuyển hộ cho {citizen.full_name}", back=back)


@require_POST
@login_required
def citizen_cccd(request: HttpRequest, public_id: str) -> HttpResponse:
    citizen = citizen_get_for_user(user=request.user, public_id=public_id)
    if citizen is None:
        raise Http404
    return _reveal(request, citizen)


# --- clans and villages ----------------------------------------------------------------------------------


@require_GET
@login_required
def clan_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    search = request.GET.get("q", "").strip()
    qs = clan_list_for_user(user=request.user, search=search).annotate(
        households=Count("memberships", filter=Q(memberships__valid_to__isnull=True))
    )
    context = {
        "page": _page(request, qs),
        "q": search,
        "can_edit": not scope_for(request.user, Perm.REGISTRY_EDIT).empty,
    }
    return render(request, "registry/clan_list.html", context)


@require_GET
@login_required
def clan_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    clan = clan_get_for_user(user=request.user, public_id=public_id)
    if clan is None:
        raise Http404
    object_type, object_id = object_key(clan)
    context = {
        "clan": clan,
        "memberships": clan.memberships.select_related("household__village").order_by(
            "valid_to", "-valid_from"
        ),
        "can_edit": has_perm(request.user, Perm.REGISTRY_EDIT, clan.commune),
        "history": list(
            audit_list_for_object(
                user=request.user, object_type=object_type, object_id=object_id, unit=clan.commune
            )[:100]
        ),
        "form": ClanHouseholdForm(),
    }
    return render(request, "registry/clan_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def clan_create(request: HttpRequest) -> HttpResponse:
    communes = communes_for_user(user=request.user, perm=Perm.REGISTRY_EDIT).order_by("name")
    choices = [(c.public_id, c.name) for c in communes]
    if not choices:
        _refuse(request.user)
    form = ClanForm(request.POST or None, communes=choices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        commune = communes.get(public_id=d["commune"])
        clan = _call(
            request,
            form,
            lambda: services.clan_create(
                actor=request.user,
                commune=commune,
                name=d["name"],
                branch=d["branch"],
                representative=d["representative"],
            ),
        )
        if clan is not None:
            messages.success(request, f"Đã đăng ký dòng họ {clan}.")
            return redirect("registry:clan", clan.public_id)
    return _form_page(request, form, title="Đăng ký dòng họ", back=reverse("registry:clans"))


def _clan_household_action(request: HttpRequest, public_id: str, *, add: bool) -> HttpResponse:
    clan = _clan_for_edit(request, public_id)
    form = ClanHouseholdForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["household_code"].strip().upper()
        household = (
            household_list_for_user(user=request.user, perm=Perm.REGISTRY_EDIT).filter(code=code).first()
        )
        if household is None:
            messages.error(request, "Không tìm thấy hộ có mã này trong phạm vi quản lý của bạn.")
            return redirect("registry:clan", clan.public_id)
        service = services.clan_add_household if add else services.clan_remove_household
        done = _call(
            request,
            form,
            lambda: (
                service(actor=request.user, clan=clan, household=household, on=form.cleaned_data["on"])
                or True
            ),
        )
        if done:
            messages.success(request, f"Đã {'thêm' if add else 'ghi nhận rời'} hộ {household.head_name}.")
            return redirect("registry:clan", clan.public_id)
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, str(problem))
    return redirect("registry:clan", clan.public_id)


@require_POST
@login_required
def clan_add_household(request: HttpRequest, public_id: str) -> HttpResponse:
    return _clan_household_action(request, public_id, add=True)


@require_POST
@login_required
def clan_remove_household(request: HttpRequest, public_id: str) -> HttpResponse:
    return _clan_household_action(request, public_id, add=False)


@require_GET
@login_required
def village_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    search = fold(request.GET.get("q", ""))
    day, day_error = _as_of(request)
    commune = _selected_commune(request, day)
    links = VillageParent.objects.filter(
        valid_on_q(day or timezone.localdate()), village__in=village_ids_for_user(user=request.user)
    ).select_related("village", "commune")
    if commune is not None:
        links = links.filter(commune=commune)
    if search:
        links = links.filter(village__name_search__contains=search)
    page = _page(request, links.order_by("commune__name", "village__name", "pk"))
    counts = household_counts_by_village([link.village_id for link in page["rows"]], day)
    for link in page["rows"]:
        link.households = counts.get(link.village_id, 0)
    context = {
        "page": page,
        "q": request.GET.get("q", ""),
        "commune": commune,
        "communes": list(communes_for_user(user=request.user, on=day).order_by("name")[:300]),
        "day": day,
        "day_error": day_error,
        "today": date.today(),
    }
    return render(request, "registry/village_list.html", context)
