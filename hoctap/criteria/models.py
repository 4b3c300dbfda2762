"""Stored criteria set versions (the JSON of the pure schema) and the province's own targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hoctap.criteria.schema import CriteriaSetVersion


class CriteriaSetStatus(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    ACTIVE = "active", "Đang áp dụng"
    RETIRED = "retired", "Đã thay thế"


class CriteriaSet(models.Model):
    """One version of a criteria set (code + version), as loaded from a set file.

    `data` is `CriteriaSetVersion.to_dict()`; `sha256` hashes its canonical JSON. The identity and the
    content never change after import; `frozen` is set once an assessment used the version, after which it
    can no longer be discarded. Exactly one version per code is active at a time (a partial unique index).
    """

    code = models.CharField("mã bộ tiêu chí", max_length=64)
    version = models.PositiveIntegerField("phiên bản")
    title = models.CharField("tên", max_length=300)
    subject_kind = models.CharField("đối tượng", max_length=20)
    valid_from = models.DateField("áp dụng từ")
    valid_to = models.DateField("áp dụng đến", null=True, blank=True)
    legal_number = models.CharField("số văn bản", max_length=100)
    legal_date = models.DateField("ngày văn bản", null=True, blank=True)
    legal_issuer = models.CharField("cơ quan ban hành", max_length=300)
    legal_title = models.TextField("trích yếu")
    legal_url = models.CharField("đường dẫn văn bản", max_length=500, blank=True)
    data = models.JSONField("nội dung")
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    status = models.CharField(
        "trạng thái", max_length=10, choices=CriteriaSetStatus.choices, default=CriteriaSetStatus.DRAFT
    )
    frozen = models.BooleanField("đã khóa (đã được dùng để đánh giá)", default=False)
    frozen_at = models.DateTimeField("khóa lúc", null=True, blank=True)
    unconfirmed = models.BooleanField("có nội dung chưa xác nhận", default=False)
    loaded_from = models.CharField("nạp từ tệp", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("nạp lúc", auto_now_add=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activated_at = models.DateTimeField("áp dụng lúc", null=True, blank=True)

    class Meta:
        verbose_name = "phiên bản bộ tiêu chí"
        verbose_name_plural = "phiên bản bộ tiêu chí"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criteria_set_code_version_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status="active"), name="criteria_set_one_active_per_code"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="criteria_set_version_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "retired"]), name="criteria_set_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}@{self.version} — {self.title}"

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"

    def as_version(self) -> CriteriaSetVersion:
        """The pure dataclass of this version (validated again from the stored JSON)."""
        return CriteriaSetVersion.from_dict(self.data)


class ProvinceTarget(models.Model):
    """The province's own value for a programme target (targets.yaml) in a year, in percent."""

    unit = models.ForeignKey("units.UnitVersion", on_delete=models.PROTECT, related_name="+")
    target_code = models.CharField("mã chỉ tiêu", max_length=64)
    year = models.PositiveSmallIntegerField("năm")
    value = models.DecimalField("giá trị (%)", max_digits=6, decimal_places=2)
    national_value = models.DecimalField(
        "chỉ tiêu quốc gia (%)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    note = models.TextField("ghi chú", blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField("cập nhật lúc")

    class Meta:
        verbose_name = "chỉ tiêu của tỉnh"
        verbose_name_plural = "chỉ tiêu của tỉnh"
        ordering = ["unit", "target_code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "target_code", "year"], name="province_target_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=100), name="province_target_value_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_code} {self.year}: {self.value}%"
