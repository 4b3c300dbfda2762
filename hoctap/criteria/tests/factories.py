"""Set files for the storage tests: a copy of a shipped set under a test code, as YAML bytes."""

from __future__ import annotations

from typing import Any

import yaml

from hoctap.criteria.schema import get_shipped_set

TEST_CODE = "thu-nghiem-2024"


def set_dict(*, code: str = TEST_CODE, version: int = 1, **changes: Any) -> dict[str, Any]:
    data = get_shipped_set("gdht-2015").to_dict()
    data.update(code=code, version=version, **changes)
    return data


def set_bytes(**kwargs: Any) -> bytes:
    return yaml.safe_dump(set_dict(**kwargs), allow_unicode=True, sort_keys=False).encode("utf-8")


def gdht_answers(value: int = 10, **overrides: Any) -> dict[str, Any]:
    codes = ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2")
    answers: dict[str, Any] = dict.fromkeys(codes, value)
    answers.update({k.removeprefix("i").replace("_", "."): v for k, v in overrides.items()})
    return answers
