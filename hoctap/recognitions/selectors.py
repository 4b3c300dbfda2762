"""Reads of rounds, assessments and recognitions, scoped like everything else."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hoctap.accounts.permissions import scope_for
from hoctap.core.permissions import Perm
from hoctap.core.text import fold
from hoctap.recognitions.models import Assessment, Evidence, Recognition, Round, RoundJob
from hoctap.registry.selectors import village_ids_for_user
from hoctap.units.models import VillageParent, valid_on_q


def round_list_for_user(*, user: Any, year: int | None = None, model: str | None = None) -> QuerySet[Round]:
    scope = scope_for(user, Perm.RECOGNITION_VIEW)
    qs = scope.filter_units(Round.objects.all(), field="commune_id")
    if scope.village_ids and not scope.everything:
        # a village head follows the rounds of the commune their villages belong to today
        communes = VillageParent.objects.filter(
            valid_on_q(timezone.localdate()), village_id__in=scope.village_ids
        ).values("commune_id")
        qs = qs | Round.objects.filter(commune_id__in=communes)
    if year:
        qs = qs.filter(year=year)
    if model:
        qs = qs.filter(model=model)
    return qs.select_related("commune").annotate(
        n_assessments=Count("assessments", distinct=True),
        n_passed=Count("assessments", filter=Q(assessments__passed=True), distinct=True),
    )


def round_get_for_user(*, user: Any, public_id: str) -> Round | None:
    return round_list_for_user(user=user).filter(public_id=public_id).first()


def assessment_list_for_user(
    *, user: Any, round: Round, status: str | None = None, search: str = ""
) -> QuerySet[Assessment]:
    """A round's assessments; a village head sees only the subjects of their villages."""
    qs = round.assessments.all()
    scope = scope_for(user, Perm.RECOGNITION_VIEW)
    if not scope.everything and not scope.has_unit(round.commune_id):
        qs = qs.filter(subject_village__in=village_ids_for_user(user=user, perm=Perm.RECOGNITION_VIEW))
    if status:
        qs = qs.filter(status=status)
    if search:
        folded = fold(search)
        qs = qs.filter(
            Q(subject_name__icontains=search.strip())
            | Q(household__head_name_search__contains=folded)
            | Q(citizen__name_search__contains=folded)
        )
    return qs.select_related("subject_village")


def recognition_by_code(*, code: str) -> Recognition | None:
    """Public verification: the recognition printed with this code (no scope here: the code is the secret)."""
    clean = code.strip().upper()
    if not clean.isalnum() or len(clean) > 20:
        return None
    return Recognition.objects.select_related("round", "unit", "village").filter(code=clean).first()


def recognition_list_for_user(*, user: Any, round: Round | None = None) -> QuerySet[Recognition]:
    scope = scope_for(user, Perm.RECOGNITION_VIEW)
    qs = scope.filter_units(Recognition.objects.all(), field="unit_id")
    if round is not None:
        qs = qs.filter(round=round)
    return qs.select_related("round", "village")


def assessment_get_for_user(*, user: Any, public_id: str) -> Assessment | None:
    """An assessment the user sees through their round scope (officers, village heads, read-only users)."""
    assessment = Assessment.objects.select_related("round__commune").filter(public_id=public_id).first()
    if assessment is None or round_get_for_user(user=user, public_id=assessment.round.public_id) is None:
        return None
    if not assessment_list_for_user(user=user, round=assessment.round).filter(pk=assessment.pk).exists():
        return None
    return assessment


def own_assessment_list(*, user: Any) -> QuerySet[Assessment]:
    """The self-assessments of the citizen linked to this login (never anyone else's)."""
    if not getattr(user, "is_authenticated", False):
        return Assessment.objects.none()
    return (
        Assessment.objects.filter(citizen__user=user, round__model="cdht")
        .select_related("round__commune")
        .order_by("-round__year")
    )


def own_assessment_get(*, user: Any, public_id: str) -> Assessment | None:
    return own_assessment_list(user=user).filter(public_id=public_id).first()


def evidence_get_for_user(*, user: Any, public_id: str) -> Evidence | None:
    """A file the user may download: of their own self-assessment, or of an assessment in their scope."""
    qs = Evidence.objects.select_related("assessment__round__commune")
    evidence = qs.filter(public_id=public_id).first()
    if evidence is None:
        return None
    if own_assessment_list(user=user).filter(pk=evidence.assessment_id).exists():
        return evidence
    if assessment_get_for_user(user=user, public_id=evidence.assessment.public_id) is None:
        return None
    return evidence


def round_job_latest(*, round: Round) -> RoundJob | None:
    return round.jobs.order_by("-created_at", "-pk").first()
