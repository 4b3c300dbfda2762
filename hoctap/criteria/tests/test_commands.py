"""The operator commands `criteria` and `evaluate`, on a migrated database and on one never migrated."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from hoctap.criteria.models import CriteriaSet
from hoctap.criteria.tests.factories import TEST_CODE, gdht_answers, set_bytes

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def answers_file(tmp_path: Path, **payload: object) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_list_gives_every_code_with_status_validity_source_and_flags():
    payload = run("criteria", "list", "--json")
    by_code = {s["code"]: s for s in payload["sets"]}
    assert len(by_code) == 19 and payload["database"] is True
    version = by_code["cdht-2023"]["versions"][0]
    assert version["status"] == "active" and version["valid_from"] == "2023-10-25"
    assert version["legal_source"]["number"] == "324/QĐ-KHVN" and version["unconfirmed"] is True


@pytest.mark.django_db
def test_show_gives_the_tree_with_kinds_maxima_thresholds_sources_flags():
    payload = run("criteria", "show", "cdhtxa-2023", "--json")
    assert payload["status"] == "active" and payload["origin"] == "database"
    indicator = payload["criteria"][0]["indicators"][0]
    assert {"kind", "max", "thresholds", "source", "unconfirmed"} <= set(indicator)
    assert [level["code"] for level in payload["levels"]] == ["muc-1", "muc-2"]
    with pytest.raises(CommandError, match="Không tìm thấy bộ tiêu chí cdhtxa-2023 phiên bản 9"):
        call_command("criteria", "show", "cdhtxa-2023", "--version", "9", stdout=io.StringIO())


@pytest.mark.django_db
def test_import_activate_export_and_diff(tmp_path):
    source = tmp_path / f"{TEST_CODE}@1.yaml"
    source.write_bytes(set_bytes())
    first = run("criteria", "import", str(source), "--activate", "--json")
    assert first == {**first, "code": TEST_CODE, "version": 1, "created": True, "activated": True}
    assert CriteriaSet.objects.get(code=TEST_CODE).status == "active"
    again = run("criteria", "import", str(source), "--json")
    assert again["created"] is False and again["status"] == "active"

    out = tmp_path / "export.yaml"
    call_command("criteria", "export", TEST_CODE, "--out", str(out), stdout=io.StringIO())
    exported = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert exported["code"] == TEST_CODE
    exported.update(version=2, title="Gia đình học tập (2026)")
    second = tmp_path / "v2.json"
    second.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    assert run("criteria", "import", str(second), "--json")["status"] == "draft"
    diff = run("criteria", "diff", TEST_CODE, "1", "2", "--json")
    assert {
        "path": "title",
        "kind": "changed",
        "before": "Gia đình học tập",
        "after": "Gia đình học tập (2026)",
    } in diff["changes"]


@pytest.mark.django_db
def test_import_of_a_bad_file_prints_the_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: Sai Mã\nversion: 0\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="Không nạp được bộ tiêu chí"):
        call_command("criteria", "import", str(bad), "--json", stdout=out)
    problems = json.loads(out.getvalue())["problems"]
    assert "set.code: phải là chữ thường không dấu nối bằng '-'" in problems
    assert "set.version: phải từ 1 trở lên" in problems


@pytest.mark.django_db
def test_evaluate_prints_the_result(tmp_path):
    path = answers_file(tmp_path, answers=gdht_answers(8), evaluated_on="2024-12-15")
    payload = run("evaluate", "--criteria-set", "gdht-2015", "--answers", path, "--json")
    assert payload["passed"] is True and payload["total"] == 80 and payload["criteria_set_version"] == 1
    assert payload["valid_until"] == "2024-12-31" and "pass" in payload["unconfirmed_rules"]


@pytest.mark.django_db
def test_evaluate_reads_stdin_and_fails_below_the_threshold(monkeypatch):
    body = {"answers": gdht_answers(8, i4_2=7), "evaluated_on": "2024-12-15", "level": None, "context": {}}
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(body)))
    payload = run("evaluate", "--criteria-set", "gdht-2015", "--version", "1", "--answers", "-", "--json")
    assert payload["passed"] is False and payload["total"] == 79


@pytest.mark.django_db
def test_evaluate_names_missing_answers(tmp_path):
    answers = gdht_answers()
    del answers["2.3"], answers["4.1"]
    path = answers_file(tmp_path, answers=answers, evaluated_on="2024-12-15")
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"Thiếu câu trả lời cho chỉ tiêu: 2\.3, 4\.1"):
        call_command("evaluate", "--criteria-set", "gdht-2015", "--answers", path, "--json", stdout=out)
    assert json.loads(out.getvalue())["missing"] == ["2.3", "4.1"]


@pytest.mark.django_db
def test_evaluate_uses_the_stored_active_version(tmp_path):
    source = tmp_path / "set.yaml"
    strict = yaml.safe_load(set_bytes(code="gdht-2015", version=2))
    strict["pass_rule"]["total_min"] = 90
    source.write_text(yaml.safe_dump(strict, allow_unicode=True), encoding="utf-8")
    run("criteria", "import", str(source), "--activate", "--json")
    path = answers_file(tmp_path, answers=gdht_answers(8), evaluated_on="2024-12-15")
    payload = run("evaluate", "--criteria-set", "gdht-2015", "--answers", path, "--json")
    assert payload["criteria_set_version"] == 2 and payload["passed"] is False


@pytest.mark.django_db
def test_evaluate_refuses_bad_json_and_unknown_sets(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải JSON hợp lệ"):
        call_command("evaluate", "--criteria-set", "gdht-2015", "--answers", str(bad))
    path = answers_file(tmp_path, answers={}, evaluated_on="2024-12-15")
    with pytest.raises(CommandError, match="Không tìm thấy bộ tiêu chí khong-co"):
        call_command("evaluate", "--criteria-set", "khong-co", "--answers", path)


def _cli(args: list[str], tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "hoctap", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=90)


def test_commands_work_on_a_database_that_was_never_migrated(tmp_path):
    listing = _cli(["criteria", "list", "--json"], tmp_path)
    assert listing.returncode == 0, listing.stderr
    payload = json.loads(listing.stdout)
    assert payload["database"] is False and payload["count"] == 19
    assert {v["status"] for s in payload["sets"] for v in s["versions"]} == {"shipped"}
    shown = _cli(["criteria", "show", "cdht-2023", "--json"], tmp_path)
    assert json.loads(shown.stdout)["origin"] == "files"

    body = json.dumps({"answers": gdht_answers(10), "evaluated_on": "2024-12-15"})
    evaluated = _cli(["evaluate", "--criteria-set", "gdht-2015", "--answers", "-", "--json"], tmp_path, body)
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout)["passed"] is True

    missing = json.dumps({"answers": {"1.1": 10}, "evaluated_on": "2024-12-15"})
    failed = _cli(["evaluate", "--criteria-set", "gdht-2015", "--answers", "-"], tmp_path, missing)
    assert failed.returncode != 0
    assert "Thiếu câu trả lời cho chỉ tiêu: 1.2, 1.3" in failed.stderr
