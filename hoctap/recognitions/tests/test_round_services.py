"""The yearly round end to end, through the services, against the real database and the shipped criteria."""

from datetime import date
from decimal import Decimal

import pytest

from hoctap.core.errors import NotInScope, ServiceError, TransitionError
from hoctap.core.models import AuditEntry
from hoctap.recognitions.criteria import criteria_set_for_model
from hoctap.recognitions.models import Assessment, Recognition, Round
from hoctap.recognitions.services import (
    assessment_record,
    recognition_revoke,
    round_add_subjects,
    round_carry_over,
    round_confirm_carried,
    round_create,
    round_decide,
    round_return,
    round_transition,
)
from hoctap.registry.models import Clan, ClanMembership, Household, HouseholdStatus

pytestmark = pytest.mark.django_db


def full_marks(model: str, year: int) -> dict[str, object]:
    cs = criteria_set_for_model(model=model, year=year)
    answers: dict[str, object] = {}
    for tree in cs.criteria_trees():
        for criterion in tree:
            for ind in criterion.indicators:
                if ind.kind == "computed":
                    continue
                if ind.kind == "yes_no":
                    answers[ind.code] = True
                elif ind.kind == "choice":
                    answers[ind.code] = max(ind.options, key=lambda o: o.points).code
                else:
                    answers[ind.code] = float(ind.max if ind.max is not None else (ind.threshold or 100))
    return answers


def household(village, name: str, cccd: str) -> Household:
    return Household.objects.create(village=village, head_name=name, head_cccd=cccd, member_count=4)


def decide(round_, actor) -> Round:
    round_transition(actor=actor, round=round_, action="propose")
    round_transition(actor=actor, round=round_, action="review")
    return round_decide(
        actor=actor,
        round=round_,
        decision_date=date(2026, 1, 15),
        signer="Nguyễn Văn A",
    )


def test_round_uses_the_criteria_set_valid_that_year_and_is_unique(personas):
    rnd = round_create(actor=personas.commune_a_officer, commune=personas.commune_a, model="gdht", year=2025)
    assert (rnd.criteria_code, rnd.criteria_version) == ("gdht-2015", 1)
    with pytest.raises(ServiceError, match="đã có đợt công nhận"):
        round_create(actor=personas.commune_a_officer, commune=personas.commune_a, model="gdht", year=2025)
    with pytest.raises(NotInScope):
        round_create(actor=personas.commune_a_officer, commune=personas.commune_b, model="gdht", year=2025)


def test_full_round_recognises_only_passing_households_and_locks(personas):
    officer = personas.commune_a_officer
    good = household(personas.village_a, "Nguyễn Văn Bình", "044080000001")
    weak = household(personas.village_a, "Trần Thị Cúc", "044180000002")
    rnd = round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2025)
    assert round_add_subjects(actor=officer, round=rnd, subjects=[good, weak]) == 2
    answers = full_marks("gdht", 2025)
    a_good = assessment_record(actor=officer, round=rnd, subject=good, answers=answers)
    low = {code: 0 for code in answers}
    a_weak = assessment_record(actor=officer, round=rnd, subject=weak, answers=low)
    assert a_good.passed is True and a_weak.passed is False
    assert a_weak.result["reasons"], "a failing result names its reasons"
    rnd = decide(rnd, officer)
    recs = list(Recognition.objects.filter(round=rnd))
    assert [r.subject_name for r in recs] == ["Hộ Nguyễn Văn Bình"]
    assert recs[0].unit == personas.commune_a and recs[0].village == personas.village_a
    assert recs[0].valid_until == date(2025, 12, 31)
    assert "Chủ tịch UBND cấp xã" in rnd.decision_authority
    assert rnd.decision_number == "01/QĐ-UBND"
    with pytest.raises(TransitionError):
        assessment_record(actor=officer, round=rnd, subject=weak, answers=answers)
    with pytest.raises(TransitionError):
        round_return(actor=officer, round=rnd, reason="sai")
    actions = set(AuditEntry.objects.filter(object_id=rnd.public_id).values_list("action", flat=True))
    assert {
        "recognitions.round.created",
        "recognitions.round.proposed",
        "recognitions.round.decided",
    } <= actions


def test_cannot_propose_with_unassessed_subjects_and_return_needs_reason(personas):
    officer = personas.commune_a_officer
    h = household(personas.village_a, "Lê Văn Dũng", "044080000003")
    rnd = round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2025)
    round_add_subjects(actor=officer, round=rnd, subjects=[h])
    with pytest.raises(ServiceError, match="chưa được đánh giá"):
        round_transition(actor=officer, round=rnd, action="propose")
    assessment_record(actor=officer, round=rnd, subject=h, answers=full_marks("gdht", 2025))
    rnd = round_transition(actor=officer, round=rnd, action="propose")
    with pytest.raises(ServiceError, match="lý do"):
        round_return(actor=officer, round=rnd, reason="  ")
    rnd = round_return(actor=officer, round=rnd, reason="Thiếu minh chứng thôn 3")
    assert rnd.status == Round.Status.DRAFT and rnd.returned_reason == "Thiếu minh chứng thôn 3"
    with pytest.raises(TransitionError):
        round_transition(actor=officer, round=rnd, action="review")


def test_read_only_user_cannot_assess(personas):
    h = household(personas.village_a, "Phạm Văn Em", "044080000004")
    rnd = round_create(actor=personas.commune_a_officer, commune=personas.commune_a, model="gdht", year=2025)
    from hoctap.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        assessment_record(actor=personas.readonly, round=rnd, subject=h, answers={})


def test_carry_over_prefills_last_years_recognised_and_confirm_reevaluates(personas):
    officer = personas.commune_a_officer
    kept = household(personas.village_a, "Hoàng Văn Giang", "044080000005")
    gone = household(personas.village_a, "Đỗ Thị Hà", "044180000006")
    first = round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2025)
    for h in (kept, gone):
        assessment_record(actor=officer, round=first, subject=h, answers=full_marks("gdht", 2025))
    decide(first, officer)
    Household.objects.filter(pk=gone.pk).update(status=HouseholdStatus.DISSOLVED)
    second = round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2026)
    assert round_carry_over(actor=officer, round=second) == 1
    carried = Assessment.objects.get(round=second)
    assert carried.household == kept and carried.status == Assessment.Status.TO_CONFIRM
    assert round_carry_over(actor=officer, round=second) == 0  # idempotent
    assert round_confirm_carried(actor=officer, round=second) == 1
    carried.refresh_from_db()
    assert carried.status == Assessment.Status.ASSESSED and carried.passed is True


@pytest.mark.parametrize(("recognised", "members", "passes"), [(1, 2, True), (1, 3, False)])
def test_clan_precondition_is_computed_from_the_years_gdht_records(personas, recognised, members, passes):
    officer = personas.commune_a_officer
    homes = [household(personas.village_a, f"Nguyễn Văn {i}", f"04408000010{i}") for i in range(members)]
    gdht = round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2025)
    for i, h in enumerate(homes):
        answers = full_marks("gdht", 2025) if i < recognised else {k: 0 for k in full_marks("gdht", 2025)}
        assessment_record(actor=officer, round=gdht, subject=h, answers=answers)
    decide(gdht, officer)
    clan = Clan.objects.create(name="Dòng họ Nguyễn Văn", commune=personas.commune_a)
    for h in homes:
        ClanMembership.objects.create(clan=clan, household=h, valid_from=date(2020, 1, 1))
    dhht = round_create(actor=officer, commune=personas.commune_a, model="dhht", year=2025)
    a = assessment_record(actor=officer, round=dhht, subject=clan, answers=full_marks("dhht", 2025))
    assert Decimal(str(a.context["share_households_gdht"])) == (Decimal(100 * recognised) / members).quantize(
        Decimal("0.01")
    )
    assert a.passed is passes


def test_revocation_needs_reason_and_reference_and_happens_once(personas):
    officer = personas.commune_a_officer
    h = household(personas.village_a, "Vũ Văn Khoa", "044080000007")
    rnd = round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2025)
    assessment_record(actor=officer, round=rnd, subject=h, answers=full_marks("gdht", 2025))
    decide(rnd, officer)
    rec = Recognition.objects.get(round=rnd)
    with pytest.raises(ServiceError):
        recognition_revoke(actor=officer, recognition=rec, reason="", reference="")
    rec = recognition_revoke(
        actor=officer,
        recognition=rec,
        reason="Kê khai không trung thực",
        reference="20/QĐ-UBND ngày 01/3/2026",
    )
    assert rec.status == Recognition.Status.REVOKED
    with pytest.raises(TransitionError):
        recognition_revoke(actor=officer, recognition=rec, reason="x", reference="y")
    with pytest.raises(NotInScope):
        recognition_revoke(actor=personas.commune_b_officer, recognition=rec, reason="x", reference="y")


def test_deciding_a_round_freezes_its_criteria_version(personas):
    from hoctap.criteria.models import CriteriaSet

    officer = personas.commune_a_officer
    h = household(personas.village_a, "Mai Văn Phúc", "044080000031")
    rnd = round_create(actor=officer, commune=personas.commune_a, model="gdht", year=2025)
    assessment_record(actor=officer, round=rnd, subject=h, answers=full_marks("gdht", 2025))
    assert not CriteriaSet.objects.get(code="gdht-2015", version=1).frozen
    decide(rnd, officer)
    assert CriteriaSet.objects.get(code="gdht-2015", version=1).frozen
