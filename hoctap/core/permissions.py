"""The permission registry: one Perm enum and the roles that grant each permission.

Roles are product configuration, not regulation; the policy functions that evaluate them against a user's
role assignments and unit scope live in hoctap.accounts.permissions.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext, gettext_noop


class Perm(StrEnum):
    UNITS_VIEW = "units.view"
    UNITS_MANAGE = "units.manage"
    AUDIT_VIEW = "core.audit_view"
    USERS_MANAGE = "accounts.manage"
    REGISTRY_VIEW = "registry.view"
    REGISTRY_EDIT = "registry.edit"
    REGISTRY_VIEW_CCCD = "registry.view_cccd"
    REGISTRY_IMPORT = "registry.import"
    CRITERIA_VIEW = "criteria.view"
    CRITERIA_MANAGE = "criteria.manage"
    RECOGNITION_VIEW = "recognitions.view"
    RECOGNITION_EDIT = "recognitions.edit"
    RECOGNITION_APPROVE = "recognitions.approve"
    EMULATION_VIEW = "emulation.view"
    EMULATION_SUBMIT = "emulation.submit"
    EMULATION_REVIEW = "emulation.review"
    COMMENDATION_VIEW = "commendations.view"
    COMMENDATION_NOMINATE = "commendations.nominate"
    COMMENDATION_APPRAISE = "commendations.appraise"
    COMMENDATION_VOTE = "commendations.vote"
    REPORT_VIEW = "reports.view"
    DOCUMENT_ISSUE = "documents.issue"
    DOCUMENT_TEMPLATE_MANAGE = "documents.template_manage"
    SELF_ASSESS = "recognitions.self_assess"


class Role(StrEnum):
    PROVINCE_ADMIN = "province_admin"
    PROVINCE_SPECIALIST = "province_specialist"
    APPRAISER = "appraiser"
    COUNCIL_MEMBER = "council_member"
    COMMUNE_OFFICER = "commune_officer"
    VILLAGE_HEAD = "village_head"
    ORG_FOCAL_POINT = "org_focal_point"
    CITIZEN = "citizen"

    @property
    def label(self) -> str:
        """The role's name in the active language (ROLE_LABELS holds the Vietnamese msgids)."""
        return gettext(ROLE_LABELS[self])


ROLE_LABELS: dict[Role, str] = {
    Role.PROVINCE_ADMIN: gettext_noop("Quản trị cấp tỉnh"),
    Role.PROVINCE_SPECIALIST: gettext_noop("Chuyên viên Sở GDĐT"),
    Role.APPRAISER: gettext_noop("Thẩm định viên Ban TĐKT"),
    Role.COUNCIL_MEMBER: gettext_noop("Thành viên Hội đồng TĐKT"),
    Role.COMMUNE_OFFICER: gettext_noop("Cán bộ cấp xã"),
    Role.VILLAGE_HEAD: gettext_noop("Trưởng thôn, tổ trưởng"),
    Role.ORG_FOCAL_POINT: gettext_noop("Đầu mối đơn vị"),
    Role.CITIZEN: gettext_noop("Công dân"),
}

_READ = {Perm.UNITS_VIEW, Perm.CRITERIA_VIEW, Perm.REPORT_VIEW}

ROLE_PERMS: dict[Role, frozenset[Perm]] = {
    Role.PROVINCE_ADMIN: frozenset(Perm),
    Role.PROVINCE_SPECIALIST: frozenset(
        _READ
        | {
            Perm.AUDIT_VIEW,
            Perm.REGISTRY_VIEW,
            Perm.RECOGNITION_VIEW,
            Perm.EMULATION_VIEW,
            Perm.EMULATION_REVIEW,
            Perm.CRITERIA_MANAGE,
            Perm.COMMENDATION_VIEW,
            Perm.COMMENDATION_NOMINATE,
            Perm.DOCUMENT_ISSUE,
        }
    ),
    Role.APPRAISER: frozenset(
        _READ | {Perm.COMMENDATION_VIEW, Perm.COMMENDATION_APPRAISE, Perm.DOCUMENT_ISSUE}
    ),
    Role.COUNCIL_MEMBER: frozenset(
        _READ | {Perm.COMMENDATION_VIEW, Perm.COMMENDATION_VOTE, Perm.RECOGNITION_VIEW}
    ),
    Role.COMMUNE_OFFICER: frozenset(
        _READ
        | {
            Perm.AUDIT_VIEW,
            Perm.REGISTRY_VIEW,
            Perm.REGISTRY_EDIT,
            Perm.REGISTRY_VIEW_CCCD,
            Perm.REGISTRY_IMPORT,
            Perm.RECOGNITION_VIEW,
            Perm.RECOGNITION_EDIT,
            Perm.RECOGNITION_APPROVE,
            Perm.EMULATION_VIEW,
            Perm.EMULATION_SUBMIT,
            Perm.COMMENDATION_VIEW,
            Perm.COMMENDATION_NOMINATE,
            Perm.DOCUMENT_ISSUE,
        }
    ),
    Role.VILLAGE_HEAD: frozenset(
        {Perm.UNITS_VIEW, Perm.REGISTRY_VIEW, Perm.RECOGNITION_VIEW, Perm.RECOGNITION_EDIT}
    ),
    Role.ORG_FOCAL_POINT: frozenset(
        {
            Perm.UNITS_VIEW,
            Perm.CRITERIA_VIEW,
            Perm.EMULATION_VIEW,
            Perm.EMULATION_SUBMIT,
            Perm.COMMENDATION_NOMINATE,
        }
    ),
    Role.CITIZEN: frozenset({Perm.SELF_ASSESS}),
}
