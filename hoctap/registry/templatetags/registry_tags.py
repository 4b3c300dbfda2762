"""Template helpers of the registry screens."""

from __future__ import annotations

from typing import Any

from django import template

from hoctap.accounts.permissions import role_grants
from hoctap.core.permissions import Perm

register = template.Library()


@register.simple_tag(takes_context=True)
def registry_visible(context: dict[str, Any]) -> bool:
    """Does the current user see any part of the registry (for the "Dân cư" menu entry)?"""
    user = context.get("user")
    return user is not None and role_grants(user, Perm.REGISTRY_VIEW)
