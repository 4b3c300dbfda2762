from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """{{ dict|get_item:key }} — None when the key is absent."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
