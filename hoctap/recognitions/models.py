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
        RETURNED = "returned", "Xã trả lại, chờ công dân bổ sung"
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
    returned_reason = models.TextField("lý do xã trả lại", blank=True)
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


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """Stored under an unguessable name (the original name is kept in the row, never in the path)."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.public_id}.{suffix}"


class Evidence(models.Model):
    """A file that supports an assessment (minh chứng); served only through a scoped view, never deleted."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to)
    original_name = models.CharField("tên tệp", max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField("dung lượng (byte)", default=0)
    description = models.CharField("mô tả", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.description or self.original_name or self.file.name or ""


class RoundJob(models.Model):
    """Progress of a long operation on a round run in the background (confirming thousands of subjects)."""

    class Kind(models.TextChoices):
        CONFIRM_CARRIED = "confirm_carried", "Xác nhận đối tượng chuyển từ năm trước"

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ xử lý"
        RUNNING = "running", "Đang xử lý"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="jobs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tác vụ nền của đợt"
        verbose_name_plural = "tác vụ nền của đợt"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind"],
                condition=Q(status__in=["queued", "running"]),
                name="roundjob_one_active_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.round}"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)


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
