"""`hoctap import recognitions`: all-or-nothing, evaluated rows, idempotent, the round opened when missing."""

import json
from io import StringIO
from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command

from hoctap.recognitions.models import Assessment, Round
from hoctap.recognitions.tests.test_round_services import full_marks, household

pytestmark = pytest.mark.django_db


def sheet(path: Path, rows: list[list[object]]) -> Path:
    out = StringIO()
    call_command(
        "template", "recognitions", "--model", "gdht", "--year", "2026", "--out", str(path), stdout=out
    )
    from python_calamine import CalamineWorkbook

    header = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[0]
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet()
    ws.write_row(0, 0, header)
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, row)
    book.close()
    return path


def run(path: Path, *extra: str) -> dict:
    out = StringIO()
    call_command(
        "import",
        "recognitions",
        str(path),
        "--model",
        "gdht",
        "--unit",
        "18880",
        "--year",
        "2026",
        "--json",
        *extra,
        stdout=out,
    )
    return json.loads(out.getvalue())


def row_for(h, answers: dict[str, object]) -> list[object]:
    return [
        h.code,
        h.head_name,
        *[answers[k] for k in sorted(answers, key=lambda c: tuple(map(int, c.split("."))))],
    ]


def test_template_headers_follow_the_criteria_set(tmp_path, personas):
    path = sheet(tmp_path / "t.xlsx", [])
    from python_calamine import CalamineWorkbook

    header = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[0]
    assert header[:2] == ["Mã hộ", "Họ và tên"]
    assert header[2:5] == ["1.1", "1.2", "1.3"]


def test_import_opens_the_round_evaluates_rows_and_is_idempotent(tmp_path, personas):
    good = household(personas.village_a, "Nguyễn Văn Bình", "044080000021")
    weak = household(personas.village_a, "Trần Thị Cúc", "044180000022")
    answers = full_marks("gdht", 2026)
    low: dict[str, object] = dict.fromkeys(answers, 1)
    path = sheet(tmp_path / "r.xlsx", [row_for(good, answers), row_for(weak, low)])
    data = run(path)
    assert data["status"] == "applied" and data["counts"]["created"] == 2
    rnd = Round.objects.get(commune=personas.commune_a, model="gdht", year=2026)
    results = dict(Assessment.objects.filter(round=rnd).values_list("household__head_name", "passed"))
    assert results == {"Nguyễn Văn Bình": True, "Trần Thị Cúc": False}
    again = run(path)
    assert (again["counts"]["created"], again["counts"]["updated"], again["counts"]["unchanged"]) == (0, 0, 2)


def test_one_bad_row_writes_nothing_and_names_row_and_column(tmp_path, personas):
    good = household(personas.village_a, "Nguyễn Văn Bình", "044080000023")
    answers = full_marks("gdht", 2026)
    rows = [row_for(good, answers), ["KHONGCO1234", "Ai Đó", *row_for(good, answers)[2:]]]
    path = sheet(tmp_path / "bad.xlsx", rows)
    with pytest.raises(CommandError) as info:
        run(path)
    assert "không có dữ liệu nào được ghi" in str(info.value)
    assert not Round.objects.filter(commune=personas.commune_a, year=2026).exists()
    report = json.loads(
        Path(str(info.value).split("Xem báo cáo lỗi: ")[1].replace(".xlsx", ".json")).read_text()
    )
    assert "Dòng 3, cột A (Mã hộ)" in json.dumps(report, ensure_ascii=False)


def test_points_above_the_maximum_are_refused(tmp_path, personas):
    good = household(personas.village_a, "Nguyễn Văn Bình", "044080000024")
    answers = full_marks("gdht", 2026)
    answers["1.1"] = 11
    with pytest.raises(CommandError):
        run(sheet(tmp_path / "over.xlsx", [row_for(good, answers)]))
    assert not Assessment.objects.exists()


def test_decided_round_refuses_imports(tmp_path, personas):
    from hoctap.recognitions.services import round_create

    rnd = round_create(actor=personas.commune_a_officer, commune=personas.commune_a, model="gdht", year=2026)
    Round.objects.filter(pk=rnd.pk).update(status=Round.Status.DECIDED)
    good = household(personas.village_a, "Nguyễn Văn Bình", "044080000025")
    with pytest.raises(CommandError):
        run(sheet(tmp_path / "late.xlsx", [row_for(good, full_marks("gdht", 2026))]))
