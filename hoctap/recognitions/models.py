"""The yearly recognition round: one per commune, model and year; assessments per subject; recognitions.

A round moves draft → proposed → reviewed → decided (and back to draft with a reason). Deciding it creates one
Recognition per passing assessment and locks the round; afterwards only a revocation changes anything.
Recognition rows are the facts that reports count (unit, village, year, model, status).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hoctap.core.ids import new_public_id


class Model(models.TextChoices):
    GDHT = "gdht", "Gia đình học tập"
    DHHT = "dhht", "Dòng họ học tập"
    CDHT_THON = "cdht-thon", "Cộng đồng học tập cấp thôn"
    DVHT_XA = "dvht-xa", "Đơn vị học tập cấp xã"
    CDHT = "cdht", "Công dân học tập"


class Round(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Đang lập danh sách"
        PROPOSED = "proposed", "Đã đề nghị"
        REVIEWED = "reviewed", "Đã thẩm định"
        DECIDED = "decided", "Đã quyết định công nhận"

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    commune = models.ForeignKey(
        "units.UnitVersion", on_delete=models.PROTECT, related_name="recognition_rounds"
    )
    model = models.CharField("danh hiệu", max_length=12, choices=Model.choices)
    year = models.PositiveSmallIntegerField("năm đánh giá")
    criteria_code = models.CharField("bộ tiêu chí", max_length=60)
    criteria_version = models.PositiveIntegerField("phiên bản bộ tiêu chí")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    returned_reason = models.TextField("lý do trả lại", blank=True)
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    decision_signer = models.CharField("người ký", max_length=200, blank=True)
    decision_authority = models.CharField("thẩm quyền công nhận", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "đợt công nhận"
        verbose_name_plural = "đợt công nhận"
        ordering = ["-year", "model"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "model", "year"], name="round_commune_model_year_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_model_display()} năm {self.year} — {self.commune}"

    @property
    def locked(self) -> bool:
        return self.status == self.Status.DECIDED


class Assessment(models.Model):
    """One subject's assessment inside a round: the answers, the criteria version and the result."""

    class Source(models.TextChoices):
        CARRY_OVER = "carry_over", "Chuyển từ năm trước"
        IMPORT = "import", "Nhập từ Excel"
        WEB = "web", "Cán bộ đánh giá"
        SELF = "self", "Tự đánh giá"
        REGISTRY = "registry", "Thêm từ danh bạ"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ đánh giá"
        TO_CONFIRM = "to_confirm", "Chờ xác nhận (chuyển từ năm trước)"
        SELF_SUBMITTED = "self_submitted", "Tự đánh giá, chờ xã xác minh"
        ASSESSED = "assessed", "Đã đánh giá"

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="assessments")
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    citizen = models.ForeignKey(
        "registry.Citizen", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clan = models.ForeignKey(
        "registry.Clan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "units.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "units.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_name = models.CharField("đối tượng", max_length=300)
    subject_village = models.ForeignKey(
        "units.Village",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Thôn của đối tượng (để phân quyền và thống kê).",
    )
    source = models.CharField("nguồn", max_length=12, choices=Source.choices)
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.PENDING)
    subject_group = models.CharField("nhóm đối tượng", max_length=40, blank=True)
    answers = models.JSONField("câu trả lời", default=dict, blank=True)
    context = models.JSONField("dữ liệu tính từ hồ sơ", default=dict, blank=True)
    result = models.JSONField("kết quả đánh giá", default=dict, blank=True)
    passed = models.BooleanField("đạt", null=True, blank=True)
    total = models.DecimalField("tổng điểm", max_digits=7, decimal_places=2, null=True, blank=True)
    level = models.CharField("mức", max_length=10, blank=True)
    criteria_version = models.PositiveIntegerField("phiên bản bộ tiêu chí", null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "phiếu đánh giá"
        verbose_name_plural = "phiếu đánh giá"
        ordering = ["subject_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "household"],
                condition=Q(household__isnull=False),
                name="assessment_household_uniq",
            ),
            models.UniqueConstraint(
                fields=["round", "citizen"],
                condition=Q(citizen__isnull=False),
                name="assessment_citizen_uniq",
            ),
            models.UniqueConstraint(
                fields=["round", "clan"], condition=Q(clan__isnull=False), name="assessment_clan_uniq"
            ),
            models.UniqueConstraint(
                fields=["round", "village"],
                condition=Q(village__isnull=False),
                name="assessment_village_uniq",
            ),
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=Q(organisation__isnull=False),
                name="assessment_organisation_uniq",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status"]),
            models.Index(fields=["round", "subject_village"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} — {self.round}"


class Evidence(models.Model):
    """A file that supports an assessment (minh chứng)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/")
    description = models.CharField("mô tả", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.description or self.file.name or ""


def new_certificate_code() -> str:
    """The short code printed on a certificate and used by the public verification page (~64 bits)."""
    return new_public_id(14).upper()


class Recognition(models.Model):
    """The fact: subject S holds title M for year Y, under decision D, valid until V (or revoked)."""

    class Status(models.TextChoices):
        VALID = "valid", "Còn hiệu lực"
        REVOKED = "revoked", "Đã thu hồi"

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    code = models.CharField("mã xác minh", max_length=20, unique=True, default=new_certificate_code)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="recognitions")
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="recognition")
    unit = models.ForeignKey("units.UnitVersion", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "units.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    model = models.CharField(max_length=12, choices=Model.choices)
    year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, blank=True)
    subject_name = models.CharField(max_length=300)
    subject_detail = models.CharField(max_length=300, blank=True)
    valid_until = models.DateField("hiệu lực đến")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_reason = models.TextField("lý do thu hồi", blank=True)
    revoked_reference = models.CharField("văn bản thu hồi", max_length=200, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "danh hiệu được công nhận"
        verbose_name_plural = "danh hiệu được công nhận"
        ordering = ["subject_name", "pk"]
        indexes = [
            models.Index(fields=["year", "model", "unit", "status"]),
            models.Index(fields=["village", "year", "model"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} — {self.get_model_display()} {self.year}"
