"""Template helpers of the documents screens."""

from __future__ import annotations

from typing import Any

from django import template

from hoctap.accounts.permissions import role_grants
from hoctap.core.permissions import Perm

register = template.Library()


@register.simple_tag(takes_context=True)
def document_templates_visible(context: dict[str, Any]) -> bool:
    """May the current user see the Word templates screen (the "Mẫu văn bản" menu entry)?"""
    user = context.get("user")
    return user is not None and role_grants(user, Perm.DOCUMENT_ISSUE)
