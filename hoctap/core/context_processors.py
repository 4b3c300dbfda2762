from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hoctap.core.permissions import ROLE_LABELS, Role


def shell(request: HttpRequest) -> dict[str, Any]:
    """Navigation facts for the page shell: the user's roles, in Vietnamese."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shell_roles": []}
    from hoctap.accounts.permissions import active_assignments

    return {"shell_roles": sorted({ROLE_LABELS[Role(a.role)] for a in active_assignments(user)})}
