"""Number registers, issuers by date and the sample command, against the real database."""

import json
import threading
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hoctap.core.errors import ServiceError, TransitionError
from hoctap.documents.issuers import issuer_for
from hoctap.documents.models import IssuedDocument
from hoctap.documents.services import document_cancel, document_number_allocate
from hoctap.units.models import Level
from hoctap.units.selectors import unit_resolve


def allocate(unit, on: date, summary: str = "Về việc công nhận") -> IssuedDocument:
    return document_number_allocate(actor=None, issuer=unit, doc_type="qd", symbol="QĐ-UBND", issued_on=on,
                                    summary=summary)  # fmt: skip


@pytest.mark.django_db
def test_numbers_start_at_01_each_year_and_never_repeat_even_when_cancelled(personas):
    first = allocate(personas.commune_a, date(2026, 1, 5))
    second = allocate(personas.commune_a, date(2026, 2, 1))
    assert (first.reference, second.reference) == ("01/QĐ-UBND", "02/QĐ-UBND")
    document_cancel(actor=None, document=second, reason="Ban hành nhầm")
    third = allocate(personas.commune_a, date(2026, 3, 1))
    assert third.number == 3
    assert IssuedDocument.objects.get(pk=second.pk).status == IssuedDocument.Status.CANCELLED
    with pytest.raises(TransitionError):
        document_cancel(actor=None, document=second, reason="lần nữa")
    with pytest.raises(ServiceError):
        document_cancel(actor=None, document=third, reason=" ")
    assert allocate(personas.commune_a, date(2027, 1, 2)).number == 1
    assert allocate(personas.commune_b, date(2026, 1, 5)).number == 1  # another issuer, another register


@pytest.mark.django_db
def test_issuer_changes_with_the_date():
    old_province = unit_resolve(code="44", on=date(2024, 6, 1), level=Level.PROVINCE)
    assert (
        issuer_for(unit=old_province, on=date(2024, 6, 1)).issuing_body == "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH"
    )
    later = issuer_for(unit=old_province, on=date(2026, 1, 5))
    assert later.issuing_body == "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ" and later.place == "Quảng Trị"
    old_commune = unit_resolve(code="19138", on=date(2024, 6, 1), level=Level.COMMUNE)  # Xã Phúc Trạch
    before = issuer_for(unit=old_commune, on=date(2024, 6, 1))
    assert before.parent_body == "ỦY BAN NHÂN DÂN HUYỆN BỐ TRẠCH"
    assert before.issuing_body == "ỦY BAN NHÂN DÂN XÃ PHÚC TRẠCH"
    after = issuer_for(unit=old_commune, on=date(2026, 1, 5))
    assert (after.parent_body, after.issuing_body, after.place) == (
        "",
        "ỦY BAN NHÂN DÂN XÃ PHONG NHA",
        "Phong Nha",
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks across connections: PostgreSQL run only"
)
def test_parallel_transactions_get_distinct_consecutive_numbers(units_loaded):
    commune = unit_resolve(code="18880", on=date(2026, 1, 1), level=Level.COMMUNE)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(10):
                allocate(commune, date(2026, 4, 1))
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(IssuedDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 21))


def test_sample_command_writes_a_docx_and_refuses_bad_input(tmp_path):
    out = StringIO()
    target = tmp_path / "qd.docx"
    args = ["sample", "qd", "--rows", "30", "--format", "docx", "--out", str(target), "--json"]
    call_command("document", *args, stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["bytes"] == target.stat().st_size > 10_000
    assert target.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="Loại văn bản không hợp lệ"):
        call_command("document", "sample", "xx", "--out", str(target), stdout=StringIO())
    with pytest.raises(CommandError, match="chỉ xuất dạng PDF"):
        call_command(
            "document", "sample", "certificates", "--format", "docx", "--out", str(target), stdout=StringIO()
        )
