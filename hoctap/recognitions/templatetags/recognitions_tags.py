from __future__ import annotations

from typing import Any

from django import template

from hoctap.accounts.permissions import scope_for
from hoctap.core.permissions import Perm

register = template.Library()


@register.simple_tag(takes_context=True)
def self_assess_visible(context: dict[str, Any]) -> bool:
    """Show the home link to the self-assessment to citizens whose login is linked to a registry citizen."""
    user = context["request"].user
    if scope_for(user, Perm.SELF_ASSESS).empty:
        return False
    from hoctap.registry.models import Citizen

    return Citizen.objects.filter(user=user).exists()
