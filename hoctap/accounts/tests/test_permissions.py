import pytest

from hoctap.accounts.permissions import has_perm, require_perm, role_grants, scope_for, units_with_perm
from hoctap.core.errors import NotInScope, PermissionDeniedError
from hoctap.core.permissions import Perm
from hoctap.units.selectors import unit_predecessors

pytestmark = pytest.mark.django_db


def test_province_scope_covers_new_and_old_units(personas):
    scope = scope_for(personas.province_officer, Perm.UNITS_VIEW)
    assert scope.has_unit(personas.commune_a.pk) and scope.has_unit(personas.commune_b.pk)
    old = unit_predecessors(personas.commune_a)[0].unit
    assert scope.has_unit(old.pk) and scope.has_unit(old.district_id) and scope.has_unit(old.province_id)
    assert not scope.has_unit(personas.commune_outside.pk)


def test_commune_scope_is_its_subtree_and_default_predecessors(personas):
    scope = scope_for(personas.commune_a_officer, Perm.REGISTRY_VIEW)
    assert scope.has_unit(personas.commune_a.pk)
    assert not scope.has_unit(personas.commune_b.pk)
    assert not scope.has_unit(personas.province.pk)
    for row in unit_predecessors(personas.commune_a):
        assert scope.has_unit(row.unit.pk) is row.is_default


def test_require_perm_distinguishes_invisible_from_read_only(personas):
    require_perm(personas.commune_a_officer, Perm.REGISTRY_EDIT, personas.commune_a)
    with pytest.raises(NotInScope):
        require_perm(personas.commune_a_officer, Perm.REGISTRY_EDIT, personas.commune_b)
    with pytest.raises(PermissionDeniedError):
        require_perm(personas.readonly, Perm.REGISTRY_EDIT, personas.commune_a)


def test_perm_not_granted_by_role_gives_empty_scope(personas):
    assert not has_perm(personas.citizen, Perm.REGISTRY_EDIT)
    assert has_perm(personas.citizen, Perm.SELF_ASSESS)
    assert (
        units_with_perm(personas.outsider, Perm.REGISTRY_VIEW).filter(pk=personas.commune_a.pk).count() == 0
    )


def test_expired_assignment_grants_nothing(personas):
    from datetime import date

    from hoctap.accounts.models import RoleAssignment

    RoleAssignment.objects.filter(user=personas.commune_b_officer).update(valid_to=date(2025, 12, 31))
    personas.commune_b_officer.__dict__.pop("_hoctap_policy_cache", None)
    assert not has_perm(personas.commune_b_officer, Perm.REGISTRY_VIEW, personas.commune_b)


def test_role_grants_answers_from_roles_without_scope_queries(personas, django_assert_num_queries):
    user = personas.village_head
    assert role_grants(user, Perm.REGISTRY_VIEW)  # warms the assignment cache
    with django_assert_num_queries(0):
        assert role_grants(user, Perm.RECOGNITION_VIEW)
        assert not role_grants(user, Perm.DOCUMENT_ISSUE)
    assert not role_grants(personas.citizen, Perm.REGISTRY_VIEW)
