from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hoctap.core.permissions import Role


def shell(request: HttpRequest) -> dict[str, Any]:
    """Navigation facts for the page shell: the user's roles, in the active language."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shell_roles": []}
    from hoctap.accounts.permissions import active_assignments

    return {"shell_roles": sorted({Role(a.role).label for a in active_assignments(user)})}
