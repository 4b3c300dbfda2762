"""Storage of criteria set versions: import, activation, freezing, the shipped sync and the selector."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from hoctap.accounts.services import role_assign, user_create
from hoctap.core.errors import NotInScope, PermissionDeniedError, TransitionError
from hoctap.core.models import AuditEntry
from hoctap.core.permissions import Role
from hoctap.criteria.models import CriteriaSet
from hoctap.criteria.schema import CriteriaSetVersion, load_shipped_sets
from hoctap.criteria.selectors import (
    CriteriaSetNotFound,
    criteria_catalogue,
    criteria_set_for,
    criteria_set_resolve,
)
from hoctap.criteria.services import (
    CriteriaImportError,
    criteria_set_activate,
    criteria_set_discard,
    criteria_set_freeze,
    criteria_set_import,
    criteria_sync_shipped,
    sha256_of,
)
from hoctap.criteria.tests.factories import TEST_CODE, set_bytes, set_dict

pytestmark = pytest.mark.django_db


def _import(actor=None, **kwargs):
    record, _created = criteria_set_import(actor=actor, content=set_bytes(**kwargs), file_name="t.yaml")
    return record


# --- import ---------------------------------------------------------------------------------------


def test_import_stores_a_draft_with_its_hash_and_legal_source_and_audits(personas):
    # given a valid set file under a new code
    # when the province officer imports it
    record, created = criteria_set_import(
        actor=personas.province_officer, content=set_bytes(), file_name="thu-nghiem-2024@1.yaml"
    )
    # then a draft is stored with the dict, the canonical hash and the summary fields
    assert created is True
    assert record.status == "draft" and record.frozen is False
    assert record.data == set_dict() and record.sha256 == sha256_of(set_dict())
    assert record.legal_number == "448/QĐ-KHVN" and record.unconfirmed is True
    assert record.loaded_from == "thu-nghiem-2024@1.yaml" and record.created_by == personas.province_officer
    assert record.as_version() == CriteriaSetVersion.from_dict(set_dict())
    entry = AuditEntry.objects.get(action="criteria.set.imported", object_id=str(record.pk))
    assert entry.actor == personas.province_officer and entry.data["version"] == 1


def test_importing_identical_content_again_is_a_no_op(personas):
    first = _import(personas.province_officer)
    count = AuditEntry.objects.count()
    again, created = criteria_set_import(actor=personas.province_officer, content=set_bytes(), file_name="x")
    assert created is False and again.pk == first.pk
    assert AuditEntry.objects.count() == count


def test_same_code_and_version_with_other_content_is_refused(personas):
    _import(personas.province_officer)
    with pytest.raises(CriteriaImportError) as caught:
        _import(personas.province_officer, title="Tên khác")
    assert "đã có trong hệ thống với nội dung khác" in caught.value.problems[0]
    assert CriteriaSet.objects.get(code=TEST_CODE).title == "Gia đình học tập"


def test_invalid_file_lists_every_problem_in_vietnamese(personas):
    data = set_dict(subject_kind="robot")
    data["criteria"][0]["indicators"][0]["kind"] = "guess"
    del data["legal_source"]
    import yaml

    content = yaml.safe_dump(data, allow_unicode=True).encode()
    with pytest.raises(CriteriaImportError) as caught:
        criteria_set_import(actor=personas.province_officer, content=content, file_name="bad.yaml")
    problems = caught.value.problems
    assert len(problems) >= 3
    assert any(p.startswith("set.subject_kind: phải là một trong:") for p in problems)
    assert any("set.legal_source" in p for p in problems)
    assert any("kind: phải là một trong:" in p for p in problems)
    assert not CriteriaSet.objects.filter(code=TEST_CODE).exists()


def test_not_yaml_and_not_utf8_are_refused_in_vietnamese(personas):
    with pytest.raises(CriteriaImportError, match="UTF-8"):
        criteria_set_import(actor=None, content=b"\xff\xfe\x00", file_name="x")
    with pytest.raises(CriteriaImportError, match="cú pháp YAML"):
        criteria_set_import(actor=None, content=b"code: [unclosed", file_name="x")
    with pytest.raises(CriteriaImportError, match="bảng khóa"):
        criteria_set_import(actor=None, content=b"- a list", file_name="x")


def test_import_needs_criteria_manage(personas):
    with pytest.raises(PermissionDeniedError):
        _import(personas.readonly)
    with pytest.raises(NotInScope):
        _import(personas.citizen)


# --- activation -----------------------------------------------------------------------------------


def test_activation_retires_the_previous_version_and_audits(personas):
    v1 = criteria_set_activate(actor=personas.province_officer, criteria_set=_import())
    v2 = _import(version=2, title="Gia đình học tập (sửa đổi)")
    done = criteria_set_activate(actor=personas.province_officer, criteria_set=v2)
    assert done.status == "active" and done.activated_by == personas.province_officer
    assert CriteriaSet.objects.get(pk=v1.pk).status == "retired"
    entry = AuditEntry.objects.filter(action="criteria.set.activated").first()
    assert entry is not None and entry.data == {"code": TEST_CODE, "version": 2, "retired_version": 1}
    # a retired version can be activated again (roll back)
    criteria_set_activate(actor=personas.province_officer, criteria_set=CriteriaSet.objects.get(pk=v1.pk))
    assert list(
        CriteriaSet.objects.filter(code=TEST_CODE, status="active").values_list("version", flat=True)
    ) == [1]


def test_activating_a_stale_copy_is_refused(personas):
    record = _import()
    stale = CriteriaSet.objects.get(pk=record.pk)
    criteria_set_activate(actor=None, criteria_set=record)
    with pytest.raises(TransitionError):
        criteria_set_activate(actor=None, criteria_set=stale)


def test_database_allows_one_active_version_per_code(personas):
    criteria_set_activate(actor=None, criteria_set=_import())
    v2 = _import(version=2, title="khác")
    with pytest.raises(IntegrityError), transaction.atomic():
        CriteriaSet.objects.filter(pk=v2.pk).update(status="active")


def test_activation_needs_criteria_manage(personas):
    record = _import()
    with pytest.raises(PermissionDeniedError):
        criteria_set_activate(actor=personas.readonly, criteria_set=record)
    assert CriteriaSet.objects.get(pk=record.pk).status == "draft"


# --- freezing -------------------------------------------------------------------------------------


def test_freeze_is_idempotent_irreversible_and_audited_once(personas):
    record = criteria_set_activate(actor=None, criteria_set=_import())
    frozen = criteria_set_freeze(criteria_set=record)
    again = criteria_set_freeze(criteria_set=record)
    assert frozen.frozen and again.frozen and again.frozen_at == frozen.frozen_at
    assert AuditEntry.objects.filter(action="criteria.set.frozen", object_id=str(record.pk)).count() == 1


def test_a_frozen_version_can_never_be_changed(personas):
    # given a draft that an assessment used (frozen)
    record = criteria_set_freeze(criteria_set=_import())
    # when someone tries to discard it or re-import other content under its number
    with pytest.raises(TransitionError, match="bị khóa"):
        criteria_set_discard(actor=personas.province_officer, criteria_set=record)
    with pytest.raises(CriteriaImportError):
        _import(title="Nội dung khác")
    # then it is unchanged
    stored = CriteriaSet.objects.get(pk=record.pk)
    assert stored.data == set_dict() and stored.frozen is True


def test_an_unused_draft_can_be_discarded_but_not_an_active_version(personas):
    draft = _import()
    criteria_set_discard(actor=personas.province_officer, criteria_set=draft)
    assert not CriteriaSet.objects.filter(code=TEST_CODE).exists()
    assert AuditEntry.objects.filter(action="criteria.set.discarded").exists()
    active = criteria_set_activate(actor=None, criteria_set=_import())
    with pytest.raises(TransitionError):
        criteria_set_discard(actor=personas.province_officer, criteria_set=active)


# --- shipped sync and selectors ------------------------------------------------------------------


def test_sync_loads_every_shipped_set_and_activates_new_codes(db):
    CriteriaSet.objects.all().delete()
    summary = criteria_sync_shipped()
    shipped = load_shipped_sets()
    assert len(summary["imported"]) == len(shipped) == CriteriaSet.objects.count()
    assert CriteriaSet.objects.filter(status="active").count() == len({s.code for s in shipped})
    again = criteria_sync_shipped()
    assert again["imported"] == [] and len(again["unchanged"]) == len(shipped)


def test_sync_never_overwrites_a_conflicting_version_and_keeps_the_chosen_active_one(db):
    CriteriaSet.objects.filter(code="gdht-2015").update(sha256="0" * 64)
    CriteriaSet.objects.filter(code="cdht-2023").update(status="retired")
    summary = criteria_sync_shipped()
    assert any("gdht-2015" in c for c in summary["conflicts"])
    assert CriteriaSet.objects.get(code="gdht-2015").sha256 == "0" * 64
    assert CriteriaSet.objects.get(code="cdht-2023").status == "retired"


def test_migrate_left_the_shipped_sets_active(db):
    # the post_migrate hook ran when the test database was created
    assert CriteriaSet.objects.filter(code="cdht-2023", status="active").exists()


def test_criteria_set_for_prefers_explicit_then_active_then_valid_on(personas):
    v1 = _import(valid_from="2024-01-01", valid_to="2024-12-31")
    v2 = _import(version=2, valid_from="2025-01-01", valid_to=None)
    assert criteria_set_for(code=TEST_CODE, version=1).version == 1
    with pytest.raises(CriteriaSetNotFound):
        criteria_set_for(code=TEST_CODE)  # no active version, no date
    assert criteria_set_for(code=TEST_CODE, on=date(2024, 6, 1)).version == 1
    assert criteria_set_for(code=TEST_CODE, on=date(2025, 6, 1)).version == 2
    criteria_set_activate(actor=None, criteria_set=v1)
    assert criteria_set_for(code=TEST_CODE, on=date(2025, 6, 1)).version == 1
    assert isinstance(criteria_set_for(code=TEST_CODE, version=v2.version), CriteriaSetVersion)
    with pytest.raises(LookupError):
        criteria_set_for(code="khong-co")


def test_resolve_uses_the_database_first_and_the_shipped_files_otherwise(personas):
    record = criteria_set_activate(actor=None, criteria_set=_import())
    cs, meta = criteria_set_resolve(code=TEST_CODE)
    assert meta["origin"] == "database" and meta["sha256"] == record.sha256 and cs.code == TEST_CODE
    CriteriaSet.objects.filter(code="gdht-2015").delete()
    cs, meta = criteria_set_resolve(code="gdht-2015")
    assert meta == {"origin": "files", "status": "shipped", "frozen": False} and cs.version == 1


def test_catalogue_lists_stored_and_shipped_versions(personas):
    _import()
    CriteriaSet.objects.filter(code="gdht-2015").delete()
    catalogue = criteria_catalogue()
    by_code = {s["code"]: s for s in catalogue["sets"]}
    assert catalogue["database"] is True
    assert by_code[TEST_CODE]["versions"][0]["status"] == "draft"
    assert by_code["gdht-2015"]["versions"][0]["status"] == "shipped"
    assert by_code["cdht-2023"]["active_version"] == 1
    assert by_code["cdht-2023"]["versions"][0]["legal_source"]["number"] == "324/QĐ-KHVN"


def test_province_specialist_may_manage_criteria(personas):
    specialist = user_create(actor=None, username="p.specialist", password="x-Test@2026")
    role_assign(
        actor=None,
        user=specialist,
        role=Role.PROVINCE_SPECIALIST,
        unit=personas.province,
        valid_from=date(2025, 7, 1),
    )
    record = _import(specialist)
    assert criteria_set_activate(actor=specialist, criteria_set=record).status == "active"
