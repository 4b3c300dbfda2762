"""Writes for accounts: users, role assignments, login bookkeeping (throttle + audit)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hoctap.accounts.models import LoginFailure, RoleAssignment, User
from hoctap.core.audit import audit_log
from hoctap.core.permissions import Role
from hoctap.core.text import nfc
from hoctap.units.models import Organisation, UnitVersion, Village


def login_is_locked(*, username: str, ip: str) -> bool:
    """True when this username or address failed too often within the window."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(created_at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    by_user = recent.filter(username=username.casefold()).count()
    by_ip = recent.filter(ip=ip).count()
    return by_user >= limit or by_ip >= limit * 4


@transaction.atomic
def login_failure_record(*, username: str, ip: str) -> None:
    LoginFailure.objects.create(username=username.casefold()[:150], ip=ip[:64])
    audit_log(actor=None, action="accounts.login.failed", data={"username": username[:150], "ip": ip})


@transaction.atomic
def login_success_record(*, user: User, ip: str) -> None:
    LoginFailure.objects.filter(Q(username=user.username.casefold())).delete()
    audit_log(actor=user, action="accounts.login.succeeded", obj=user, data={"ip": ip})


@transaction.atomic
def user_create(
    *, actor: Any, username: str, password: str, full_name: str = "", position: str = "", email: str = ""
) -> User:
    user = User.objects.create_user(
        username=username, password=password, full_name=nfc(full_name), position=nfc(position), email=email
    )
    audit_log(actor=actor, action="accounts.user.created", obj=user, data={"username": username})
    return user


@transaction.atomic
def role_assign(
    *,
    actor: Any,
    user: User,
    role: Role,
    unit: UnitVersion | None = None,
    village: Village | None = None,
    organisation: Organisation | None = None,
    subtree: bool = True,
    valid_from: date,
    valid_to: date | None = None,
) -> RoleAssignment:
    assignment = RoleAssignment.objects.create(
        user=user,
        role=role.value,
        unit=unit,
        village=village,
        organisation=organisation,
        subtree=subtree,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    audit_log(
        actor=actor,
        action="accounts.role.assigned",
        obj=user,
        unit=unit,
        data={"role": role.value, "valid_from": valid_from.isoformat()},
    )
    return assignment
