"""Jinja2 environment for the HTML templates that WeasyPrint turns into PDF."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

HTML_TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates" / "documents"


def nl2br(value: str) -> Markup:
    """Escape ``value`` and turn its line breaks into ``<br>`` (for multi-line issuer names)."""
    return Markup("<br>").join(escape(line) for line in str(value).split("\n"))


@lru_cache(maxsize=1)
def html_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HTML_TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["nl2br"] = nl2br
    return env


def stylesheet_text(name: str) -> str:
    return (HTML_TEMPLATES_DIR / name).read_text(encoding="utf-8")
