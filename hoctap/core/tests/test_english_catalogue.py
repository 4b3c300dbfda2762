"""The English catalogue is complete: every translatable string of hoctap/ and config/ has a reviewed English
translation (ADR 0002), the compiled .mo matches the .po, and an officer who picks English sees English."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

import hoctap
from conftest import PASSWORD

PROJECT = Path(hoctap.__file__).resolve().parent.parent
CATALOGUE = PROJECT / "hoctap" / "locale" / "en" / "LC_MESSAGES" / "django.po"
SOURCE_SUFFIXES = {".py", ".html", ".txt"}  # what makemessages reads for the "django" domain
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd%]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    context: str | None = None
    plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return self.context, self.msgid

    @property
    def label(self) -> str:
        return f"{self.context}|{self.msgid}" if self.context else self.msgid


def read_po(path: Path) -> dict[tuple[str | None, str], Entry]:
    """The live entries of a .po file (obsolete `#~` entries are dropped), keyed by (context, msgid)."""
    entries: dict[tuple[str | None, str], Entry] = {}
    entry, target = Entry(), ""

    def close() -> None:
        nonlocal entry, target
        if target:
            entries[entry.key] = entry
        entry, target = Entry(), ""

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line or line.startswith("#~"):
            if not line:
                close()
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, literal = line.partition(" ")
            target = keyword
            set_field(entry, keyword, ast.literal_eval(literal))
    return entries


def set_field(entry: Entry, keyword: str, value: str) -> None:
    if keyword == "msgid":
        entry.msgid = value
    elif keyword == "msgctxt":
        entry.context = value
    elif keyword == "msgid_plural":
        entry.plural = value
    else:  # msgstr or msgstr[n]
        entry.msgstr[int(keyword[7:-1]) if "[" in keyword else 0] = value


def append(entry: Entry, keyword: str, value: str) -> None:
    if keyword == "msgid":
        entry.msgid += value
    elif keyword == "msgctxt":
        entry.context = (entry.context or "") + value
    elif keyword == "msgid_plural":
        entry.plural = (entry.plural or "") + value
    else:
        index = int(keyword[7:-1]) if "[" in keyword else 0
        entry.msgstr[index] += value


def translatable_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[tuple[str | None, str], Entry]:
    """Run makemessages over a copy of hoctap/ and config/, so the working tree is never written to."""
    copy = tmp_path / "src"

    def skip(directory: str, names: list[str]) -> set[str]:
        return {
            name
            for name in names
            if name in {"locale", "__pycache__"}
            or (Path(directory, name).is_file() and Path(name).suffix not in SOURCE_SUFFIXES)
        }

    for package in ("hoctap", "config"):
        shutil.copytree(PROJECT / package, copy / package, ignore=skip)
    locale = copy / "locale"
    locale.mkdir()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[str(locale)]):
        call_command("makemessages", locale=["en"], verbosity=0)
    return read_po(locale / "en" / "LC_MESSAGES" / "django.po")


def problems_of(entry: Entry) -> list[str]:
    found = []
    if "fuzzy" in entry.flags:
        found.append("fuzzy")
    if not entry.msgstr or not all(text.strip() for text in entry.msgstr.values()):
        found.append("empty")
    wanted = sorted(PLACEHOLDER.findall(entry.msgid))
    if any(sorted(PLACEHOLDER.findall(text)) != wanted for text in entry.msgstr.values()):
        found.append("placeholders differ")
    return found


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_translatable_string_has_an_english_translation(tmp_path, monkeypatch):
    # given: the strings marked for translation in the sources today, and the committed catalogue
    extracted = translatable_entries(tmp_path, monkeypatch)
    committed = read_po(CATALOGUE)
    # then: each one is in the catalogue, translated and not fuzzy
    assert len(extracted) > 100, "makemessages found almost nothing: is the copy of the sources complete?"
    missing = [e.label for key, e in extracted.items() if key not in committed and e.msgid]
    unfinished = [
        f"{e.label!r}: {', '.join(problems_of(e))}"
        for key, e in committed.items()
        if key in extracted and key[1] and problems_of(e)
    ]
    refresh = "run `hoctap makemessages -l en --no-obsolete`, translate, then `hoctap compilemessages -l en`"
    assert not missing, f"missing from {CATALOGUE.name} ({refresh}):\n" + "\n".join(missing)
    assert not unfinished, f"not translated in {CATALOGUE.name}:\n" + "\n".join(unfinished)


def test_committed_catalogue_is_complete_and_compiled():
    # given: the committed .po and the .mo compiled from it
    committed = read_po(CATALOGUE)
    with CATALOGUE.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    # then: no entry is empty, fuzzy or has lost a placeholder, and the .mo says the same as the .po
    unfinished = [
        f"{e.label!r}: {', '.join(problems_of(e))}" for e in committed.values() if e.msgid and problems_of(e)
    ]
    assert not unfinished, "\n".join(unfinished)
    stale = [
        e.label
        for e in committed.values()
        if e.msgid
        and not e.plural
        and (compiled.pgettext(e.context, e.msgid) if e.context else compiled.gettext(e.msgid)) != e.msgstr[0]
    ]
    assert not stale, "django.mo is out of date, run `hoctap compilemessages -l en`:\n" + "\n".join(stale)


@pytest.mark.django_db
def test_an_officer_who_picks_english_sees_english_pages(client, personas):
    # given: the language menu (the set_language form in base.html) is set to English on the login page
    login = reverse("accounts:login")
    assert client.post(reverse("set_language"), {"language": "en", "next": login}).status_code == 302
    # when: the commune officer logs in and opens the home page and the household list
    page = client.get(login).content.decode()
    client.post(login, {"username": "p.commune_a", "password": PASSWORD})
    home = client.get(reverse("core:home")).content.decode()
    households = client.get(reverse("registry:households")).content.decode()
    # then: labels are English and the Vietnamese source labels are gone
    assert 'lang="en"' in page and "Username" in page and "Password" in page
    assert "Mật khẩu" not in page and "Tên đăng nhập" not in page
    assert "Residents: households, citizens, clans" in home and "Dân cư" not in home
    assert "Commune officer" in home and "Cán bộ cấp xã" not in home  # the role, in the menu and on its card
    for english in ("Households", "Head of household", "Citizen ID (CCCD)", "Commune / ward", "Filter"):
        assert english in households
    for vietnamese in ("Hộ gia đình", "Chủ hộ", "Số CCCD", "Xã, phường", "Lọc", "Tất cả", "Trang sau"):
        assert vietnamese not in households
