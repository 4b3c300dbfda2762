"""Opaque public identifiers for URLs (never sequential primary keys)."""

from __future__ import annotations

import secrets

_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def new_public_id(length: int = 12) -> str:
    """A random code from an alphabet without look-alike characters (about 59 bits at length 12)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
