"""The people registry: households, citizens, clans and their memberships.

Households and citizens keep stable identities across the 2025 reform: a household points at its village
(stable), and the village's commune changes by date (units.VillageParent). Nothing a decision refers to is
deleted (status changes instead).

Current state lives on the row, ended periods in a history table (ADR 0006): a household's village and the
day it settled there are Household.village and village_since, its earlier villages are HouseholdResidence
rows (all closed); a citizen's household, relationship and household_since are on Citizen, earlier
households are HouseholdMembership rows. A move writes one history row for the period that ended.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoctap.core.ids import new_public_id
from hoctap.core.text import fold


def new_household_code() -> str:
    """Mã hộ: 10 characters, upper case, no look-alikes; stable for the household's whole life."""
    return new_public_id(10).upper()


class Sex(models.TextChoices):
    MALE = "nam", "Nam"
    FEMALE = "nu", "Nữ"


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Đang cư trú")
    MOVED = "moved", _("Đã chuyển đi")
    DISSOLVED = "dissolved", _("Đã giải thể")


class ImportBatch(models.Model):
    """One bulk import (all-or-nothing): who, which file, which unit and year, what it changed."""

    class Status(models.TextChoices):
        PENDING = "pending", "Đang xử lý"
        REJECTED = "rejected", "Bị từ chối (có lỗi)"
        DRY_RUN = "dry_run", "Kiểm tra thử"
        APPLIED = "applied", "Đã nhập"

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    kind = models.CharField("loại dữ liệu", max_length=30)
    unit = models.ForeignKey("units.UnitVersion", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    file_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING)
    counts = models.JSONField("số liệu", default=dict, blank=True)
    report_path = models.CharField("báo cáo lỗi", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lần nhập dữ liệu"
        verbose_name_plural = "các lần nhập dữ liệu"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} — {self.file_name}"


# Note: no database foreign-key constraint and no index on import_batch (Household, Citizen). An ImportBatch
# row is never deleted (it is the record of an all-or-nothing import), so the constraint could only catch a
# bug, while PostgreSQL checks it once per inserted row at commit: 250,000 checks (about 1 s) in a
# province-size household import (PRODUCT.md budget); the index (0.1-0.4 s there) served no query: rows
# are looked up by batch only for forensics. on_delete=PROTECT still guards deletes made through the ORM.


class Household(models.Model):
    # Uniqueness and indexes are declared in Meta, not with unique=True/db_index=True: on PostgreSQL those
    # also add a varchar_pattern_ops "_like" index per column, which no query here uses (lookups are by
    # equality, name search is a %contains% scan) and which made the bulk import ~40% slower.
    public_id = models.CharField(max_length=16, default=new_public_id, editable=False)
    code = models.CharField("mã hộ", max_length=20, default=new_household_code)
    # indexed in Meta (household_village_idx)
    village = models.ForeignKey(
        "units.Village", on_delete=models.PROTECT, related_name="households", db_index=False
    )
    # the day the current period in `village` began (the day it was recorded, unless told otherwise)
    village_since = models.DateField("ở thôn hiện tại từ ngày", default=timezone.localdate)
    head_name = models.CharField("họ và tên chủ hộ", max_length=200)
    head_name_search = models.CharField(max_length=200, editable=False)
    # NULL, not "": households without a CCCD must not collide on the unique constraint in Meta
    head_cccd = models.CharField("số CCCD chủ hộ", max_length=12, null=True, blank=True)  # noqa: DJ001
    head_birth_date = models.DateField("ngày sinh chủ hộ", null=True, blank=True)
    head_sex = models.CharField("giới tính chủ hộ", max_length=3, choices=Sex.choices, blank=True)
    member_count = models.PositiveSmallIntegerField("số nhân khẩu", default=1)
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    status = models.CharField(
        "tình trạng", max_length=10, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE
    )
    status_changed_on = models.DateField("ngày thay đổi tình trạng", null=True, blank=True)
    registered_on = models.DateField("ngày đăng ký", null=True, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
        db_constraint=False,  # see the note above Household
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hộ gia đình"
        verbose_name_plural = "hộ gia đình"
        ordering = ["head_name_search", "pk"]
        indexes = [
            # village alone, not (village, status, name): a commune's few thousand households sort in
            # milliseconds, and the wider index cost 0.6 s of a 250,000-row import (ADR 0006)
            models.Index(fields=["village"], name="household_village_idx"),
            models.Index(fields=["head_name_search"], name="household_name_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(member_count__gte=1), name="household_member_count_positive"),
            models.UniqueConstraint(fields=["public_id"], name="household_public_id_uniq"),
            models.UniqueConstraint(fields=["code"], name="household_code_uniq"),
            models.UniqueConstraint(fields=["head_cccd"], name="household_head_cccd_uniq"),
        ]

    def __str__(self) -> str:
        return f"Hộ {self.head_name} ({self.code})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.head_name_search = fold(self.head_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class HouseholdResidence(models.Model):
    """An earlier village of a household: it lived there during [valid_from, valid_to] (always closed).

    The current village is Household.village (since Household.village_since); a move or the end of the
    household's residence (moved away, dissolved) writes the row of the period that ended.
    """

    # no index of its own: residence_from_uniq (household, valid_from) starts with it
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="residences", db_index=False
    )
    village = models.ForeignKey("units.Village", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField()
    valid_to = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "valid_from"], name="residence_from_uniq"),
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="residence_period_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.household} @ {self.village} từ {self.valid_from}"


class Citizen(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    full_name = models.CharField("họ và tên", max_length=200)
    name_search = models.CharField(max_length=200, editable=False, db_index=True)
    sex = models.CharField("giới tính", max_length=3, choices=Sex.choices)
    birth_date = models.DateField("ngày sinh")
    ethnicity = models.CharField("dân tộc", max_length=50, default="Kinh")
    cccd = models.CharField("số CCCD", max_length=12, null=True, blank=True, unique=True)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    relationship = models.CharField("quan hệ với chủ hộ", max_length=50, blank=True)
    household_since = models.DateField("thuộc hộ hiện tại từ ngày", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="citizen"
    )
    import_batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citizens",
        db_constraint=False,  # see the note above Household
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "công dân"
        verbose_name_plural = "công dân"
        ordering = ["name_search", "pk"]
        indexes = [models.Index(fields=["household", "name_search"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_search = fold(self.full_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class HouseholdMembership(models.Model):
    """An earlier household of a citizen during [valid_from, valid_to] (always closed), with the relationship.

    The current household is Citizen.household (since Citizen.household_since); moving to another household
    writes the row of the membership that ended.
    """

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(max_length=50, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["citizen", "household", "valid_from"], name="membership_uniq"),
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="membership_period_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.citizen} ∈ {self.household}"


class OrganisationMembership(models.Model):
    """A citizen works or studies in an organisation (for "≥ 90% of members are CDHT")."""

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="organisation_memberships")
    organisation = models.ForeignKey("units.Organisation", on_delete=models.PROTECT, related_name="members")
    position = models.CharField("chức vụ", max_length=100, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "organisation", "valid_from"], name="org_membership_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.citizen} ∈ {self.organisation}"


class Clan(models.Model):
    """A dòng họ or a branch of it, registered in one commune; households may live in several villages."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    name = models.CharField("tên dòng họ", max_length=200)
    branch = models.CharField("chi, nhánh", max_length=200, blank=True)
    name_search = models.CharField(max_length=400, editable=False, db_index=True)
    commune = models.ForeignKey("units.UnitVersion", on_delete=models.PROTECT, related_name="clans")
    representative = models.CharField("người đại diện (trưởng họ)", max_length=200, blank=True)
    registered_on = models.DateField("ngày đăng ký", null=True, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clans",
        db_constraint=False,  # see the note above Household
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dòng họ"
        verbose_name_plural = "dòng họ"
        ordering = ["name_search", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name", "branch"], name="clan_name_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.branch}" if self.branch else self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_search = fold(f"{self.name} {self.branch}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ClanMembership(models.Model):
    clan = models.ForeignKey(Clan, on_delete=models.PROTECT, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="clan_memberships")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clan", "household", "valid_from"], name="clan_membership_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.household} ∈ {self.clan}"


class ExportFile(models.Model):
    """An Excel export too large to build during the request: built by a background task, downloaded later.

    Only its creator may download it. The rows are chosen again by the task from the stored list parameters
    and the creator's rights at that moment.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    kind = models.CharField("loại danh sách", max_length=30)
    params = models.JSONField("bộ lọc", default=dict, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField("số dòng", default=0)
    path = models.CharField("tệp", max_length=500, blank=True)
    error = models.TextField("lỗi", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tệp xuất dữ liệu"
        verbose_name_plural = "các tệp xuất dữ liệu"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} — {self.created_at:%d/%m/%Y %H:%M}"
