"""Uploaded Word templates: validation, versions, one active per type, roll back, rendering with them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hoctap.core.audit import AuditEntry
from hoctap.core.errors import NotInScope, PermissionDeniedError, TransitionError
from hoctap.documents.models import DocumentTemplate
from hoctap.documents.rendering import default_template, render_docx, sample_document_spec
from hoctap.documents.selectors import active_template_path, document_template_overview_for_user
from hoctap.documents.services import (
    MAX_TEMPLATE_BYTES,
    TemplateUploadError,
    document_template_activate,
    document_template_upload,
)
from hoctap.documents.tests.template_helpers import docx_text, edited_template, marked

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(actor: Any, content: bytes, doc_type: str = "qd", name: str = "mau.docx", note: str = "") -> Any:
    return document_template_upload(
        actor=actor, doc_type=doc_type, content=content, file_name=name, note=note
    )


def test_without_uploads_the_default_renders(personas: Any) -> None:
    assert active_template_path("qd") == default_template("qd")


def test_upload_stores_a_new_active_version_and_rendering_uses_it(personas: Any, media: Path) -> None:
    # given the province admin uploads an edited decision template
    admin = personas.province_officer
    first = upload(admin, marked("qd", "MẪU SỐ MỘT"), note="thêm dòng")
    # when a second version follows
    second = upload(admin, marked("qd", "MẪU SỐ HAI"))
    # then versions count up, the second is the only active one, stored under MEDIA_ROOT, audited
    first.refresh_from_db()
    assert (first.version, first.status, second.version, second.status) == (1, "retired", 2, "active")
    assert first.note == "thêm dòng" and len(second.sha256) == 64 and second.uploaded_by == admin
    path = active_template_path("qd")
    assert path.is_relative_to(media) and path.read_bytes() == marked("qd", "MẪU SỐ HAI")
    text = docx_text(render_docx(sample_document_spec("qd", rows=3), path))
    assert "MẪU SỐ HAI" in text and "MẪU SỐ MỘT" not in text
    actions = list(
        AuditEntry.objects.filter(action="documents.template.uploaded")
        .order_by("pk")
        .values_list("data", flat=True)
    )
    assert [a["version"] for a in actions] == [1, 2] and actions[1]["retired_version"] == 1
    assert active_template_path("ttr") == default_template("ttr")  # other types untouched


def test_a_bad_upload_stores_nothing_and_lists_every_problem_in_vietnamese(
    personas: Any, media: Path
) -> None:
    admin = personas.province_officer
    with pytest.raises(TemplateUploadError) as exc:
        upload(admin, b"", name="mau.doc")
    assert exc.value.problems == [
        "Tệp mau.doc không phải tệp Word .docx (hãy lưu lại trong Word dưới dạng .docx).",
        "Tệp rỗng.",
    ]
    with pytest.raises(TemplateUploadError) as exc:
        upload(admin, b"x" * (MAX_TEMPLATE_BYTES + 1))
    assert exc.value.problems == ["Tệp quá lớn (5.0 MB); tối đa 5 MB."]
    with pytest.raises(TemplateUploadError) as exc:
        upload(admin, b"PK\x03\x04 not really a zip")
    assert "không phải tệp Word" in exc.value.problems[0]
    no_motto = edited_template("qd", "Độc lập - Tự do - Hạnh phúc", "Độc lập")
    with pytest.raises(TemplateUploadError) as exc:
        upload(admin, no_motto)
    assert exc.value.problems == ["Mẫu thiếu Tiêu ngữ “Độc lập - Tự do - Hạnh phúc”."]
    unknown = edited_template("qd", "{{ summary }}", "{{ trich_yeu }}")
    with pytest.raises(TemplateUploadError) as exc:
        upload(admin, unknown)
    assert "trich_yeu" in exc.value.problems[0]
    with pytest.raises(TemplateUploadError, match="giống hệt mẫu mặc định"):
        upload(admin, default_template("qd").read_bytes())
    assert not DocumentTemplate.objects.exists() and not media.exists()


def test_each_type_has_its_own_versions(personas: Any) -> None:
    upload(personas.province_officer, marked("qd", "A"))
    record = upload(personas.province_officer, marked("bb", "B"), "bb")
    assert (record.doc_type, record.version) == ("bb", 1)
    assert "B" in docx_text(render_docx(sample_document_spec("bb", rows=0), active_template_path("bb")))


def test_a_template_cannot_reach_python_internals(personas: Any) -> None:
    hostile = edited_template("qd", "{{ summary }}", "{{ summary.__class__.__mro__ }}")
    with pytest.raises(TemplateUploadError) as exc:
        upload(personas.province_officer, hostile)
    assert exc.value.problems == ["Mẫu dùng một thẻ không được phép (truy cập thuộc tính nội bộ)."]


def test_uploading_the_active_file_again_changes_nothing(personas: Any) -> None:
    upload(personas.province_officer, marked("qd", "A"))
    with pytest.raises(TemplateUploadError, match="giống hệt mẫu đang áp dụng"):
        upload(personas.province_officer, marked("qd", "A"))
    assert DocumentTemplate.objects.count() == 1


def test_activate_rolls_back_to_an_older_version_and_to_the_default(personas: Any) -> None:
    admin = personas.province_officer
    upload(admin, marked("qd", "A"))
    upload(admin, marked("qd", "B"))
    # when version 1 is activated again
    record = document_template_activate(actor=admin, doc_type="qd", version=1, expected_active=2)
    assert record is not None and record.status == "active"
    assert list(DocumentTemplate.objects.filter(status="active").values_list("version", flat=True)) == [1]
    assert "A" in docx_text(render_docx(sample_document_spec("qd", rows=1), active_template_path("qd")))
    # and then the shipped default
    assert document_template_activate(actor=admin, doc_type="qd", version=0) is None
    assert active_template_path("qd") == default_template("qd")
    assert not DocumentTemplate.objects.filter(status="active").exists()
    data = list(
        AuditEntry.objects.filter(action="documents.template.activated")
        .order_by("pk")
        .values_list("data", flat=True)
    )
    assert [(d["version"], d["retired_version"]) for d in data] == [(1, 2), (0, 1)]
    # a new upload after the default continues the numbering
    assert upload(admin, marked("qd", "C")).version == 3


def test_activate_is_a_compare_and_set(personas: Any) -> None:
    admin = personas.province_officer
    upload(admin, marked("qd", "A"))
    upload(admin, marked("qd", "B"))
    with pytest.raises(TransitionError, match="đang được áp dụng"):
        document_template_activate(actor=admin, doc_type="qd", version=2)
    # a screen that still shows version 1 as active (someone uploaded 2 meanwhile) cannot act
    with pytest.raises(TransitionError, match="vừa được người khác thay đổi"):
        document_template_activate(actor=admin, doc_type="qd", version=0, expected_active=1)
    with pytest.raises(NotInScope):
        document_template_activate(actor=admin, doc_type="qd", version=9)
    with pytest.raises(NotInScope):
        document_template_activate(actor=admin, doc_type="xx", version=0)
    assert DocumentTemplate.objects.get(status="active").version == 2


def test_only_the_province_admin_manages_templates(personas: Any) -> None:
    for user in (personas.commune_a_officer, personas.readonly):
        with pytest.raises(PermissionDeniedError):
            upload(user, marked("qd", "A"))
        with pytest.raises(PermissionDeniedError):
            document_template_activate(actor=user, doc_type="qd", version=0)
    assert not DocumentTemplate.objects.exists()


def test_overview_lists_every_type_without_a_query_per_type(
    personas: Any, django_assert_num_queries: Any
) -> None:
    upload(personas.province_officer, marked("qd", "A"))
    upload(personas.province_officer, marked("tb", "A"), "tb")
    user = personas.commune_a_officer
    document_template_overview_for_user(user=user)  # the user's scope is computed once, then cached
    with django_assert_num_queries(1):  # the templates with their uploaders
        rows = document_template_overview_for_user(user=user)
    assert [r.doc_type for r in rows] == ["qd", "ttr", "bc", "bb", "kh", "tb"]
    assert (rows[0].active_version, rows[1].active_version, rows[5].active_version) == (1, 0, 1)
    with pytest.raises(NotInScope):
        document_template_overview_for_user(user=personas.readonly)
