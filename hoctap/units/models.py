"""Administrative units with history, their lineage, villages and organisations.

A unit is never edited across time: every change (merge, split, rename, re-parent) closes a UnitVersion and
opens new ones, linked by UnitLineage rows. Facts point at the version valid on their date. See
docs/adr/0001-unit-history.md.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from hoctap.core.ids import new_public_id
from hoctap.core.text import fold


class Level(models.TextChoices):
    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện"
    COMMUNE = "commune", "Cấp xã"


class Kind(models.TextChoices):
    TINH = "tinh", "Tỉnh"
    THANH_PHO = "thanh_pho", "Thành phố trực thuộc trung ương"
    HUYEN = "huyen", "Huyện"
    QUAN = "quan", "Quận"
    THI_XA = "thi_xa", "Thị xã"
    THANH_PHO_THUOC_TINH = "thanh_pho_thuoc_tinh", "Thành phố thuộc tỉnh"
    THANH_PHO_THUOC_TW = "thanh_pho_thuoc_tw", "Thành phố thuộc thành phố trực thuộc trung ương"
    XA = "xa", "Xã"
    PHUONG = "phuong", "Phường"
    THI_TRAN = "thi_tran", "Thị trấn"
    DAC_KHU = "dac_khu", "Đặc khu"


LEVEL_OF_KIND: dict[str, str] = {
    Kind.TINH: Level.PROVINCE,
    Kind.THANH_PHO: Level.PROVINCE,
    Kind.HUYEN: Level.DISTRICT,
    Kind.QUAN: Level.DISTRICT,
    Kind.THI_XA: Level.DISTRICT,
    Kind.THANH_PHO_THUOC_TINH: Level.DISTRICT,
    Kind.THANH_PHO_THUOC_TW: Level.DISTRICT,
    Kind.XA: Level.COMMUNE,
    Kind.PHUONG: Level.COMMUNE,
    Kind.THI_TRAN: Level.COMMUNE,
    Kind.DAC_KHU: Level.COMMUNE,
}


def valid_on_q(on: date, prefix: str = "") -> Q:
    """Q for rows whose [valid_from, valid_to] interval contains `on` (valid_to null = still valid)."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


class UnitVersion(models.Model):
    """One administrative unit as it stood during [valid_from, valid_to]."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    code = models.CharField("mã", max_length=10, db_index=True)
    name = models.CharField("tên", max_length=200)
    name_search = models.CharField(max_length=200, editable=False, db_index=True)
    level = models.CharField("cấp", max_length=10, choices=Level.choices)
    kind = models.CharField("loại", max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    district = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    legal_basis = models.CharField("căn cứ pháp lý", max_length=200, blank=True)
    legal_basis_date = models.DateField("ngày ban hành căn cứ", null=True, blank=True)
    legal_basis_unconfirmed = models.BooleanField("căn cứ chưa xác nhận", default=False)
    source = models.CharField("nguồn dữ liệu", max_length=100, blank=True)

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"], name="unit_code_level_from_uniq"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_interval",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_search = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def is_valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def display_path(self) -> str:
        """ "Xã A, Huyện B, Tỉnh C" from the denormalised ancestors (no query when they are selected)."""
        parts = [self.name]
        if self.district_id and self.district_id != self.pk:
            parts.append(self.district.name if self.district else "")
        if self.province_id and self.province_id != self.pk:
            parts.append(self.province.name if self.province else "")
        return ", ".join(p for p in parts if p)


class LineageKind(models.TextChoices):
    MERGE = "merge", "Sáp nhập"
    SPLIT = "split", "Chia tách"
    RENAME = "rename", "Đổi tên"
    REPARENT = "reparent", "Chuyển đơn vị cấp trên"
    REORGANISE = "reorganise", "Tổ chức lại"
    ABOLISH = "abolish", "Kết thúc cấp huyện (chuyển về cấp tỉnh)"


class UnitLineage(models.Model):
    """predecessor --kind--> successor on effective_on; a split has one default successor."""

    predecessor = models.ForeignKey(UnitVersion, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(UnitVersion, on_delete=models.PROTECT, related_name="predecessor_links")
    kind = models.CharField("quan hệ", max_length=10, choices=LineageKind.choices)
    is_default = models.BooleanField("kế thừa mặc định", default=True)
    effective_on = models.DateField("ngày hiệu lực")
    legal_basis = models.CharField("căn cứ pháp lý", max_length=200, blank=True)
    legal_basis_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "quan hệ kế thừa"
        verbose_name_plural = "quan hệ kế thừa"
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="lineage_pair_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()})"


class VillageKind(models.TextChoices):
    THON = "thon", "Thôn"
    BAN = "ban", "Bản"
    TO_DAN_PHO = "to_dan_pho", "Tổ dân phố"
    KHOI_PHO = "khoi_pho", "Khối phố"
    AP = "ap", "Ấp"


class Village(models.Model):
    """A thôn/bản/tổ dân phố. Its identity is stable; its parent commune changes by date (VillageParent)."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    name = models.CharField("tên", max_length=200)
    name_search = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField("loại", max_length=12, choices=VillageKind.choices, default=VillageKind.THON)
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "thôn, tổ dân phố"
        verbose_name_plural = "thôn, tổ dân phố"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_search = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class VillageParent(models.Model):
    """The commune a village belongs to during [valid_from, valid_to]."""

    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="parents")
    commune = models.ForeignKey(UnitVersion, on_delete=models.PROTECT, related_name="village_links")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "valid_from"], name="village_parent_from_uniq"),
        ]
        indexes = [models.Index(fields=["commune", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.village} ∈ {self.commune} từ {self.valid_from}"


class OrganisationKind(models.TextChoices):
    AGENCY = "agency", "Cơ quan, sở, ban, ngành"
    FRONT = "front", "Mặt trận Tổ quốc"
    MASS_ORG = "mass_org", "Tổ chức chính trị - xã hội"
    KHUYEN_HOC = "khuyen_hoc", "Hội Khuyến học"
    SCHOOL = "school", "Trường học, cơ sở giáo dục"
    ENTERPRISE = "enterprise", "Doanh nghiệp"
    COOPERATIVE = "cooperative", "Hợp tác xã"
    OTHER = "other", "Khác"


class Organisation(models.Model):
    """An agency, mass organisation, school, enterprise… attached to a territorial unit."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    name = models.CharField("tên", max_length=300)
    name_search = models.CharField(max_length=300, editable=False, db_index=True)
    kind = models.CharField("loại", max_length=20, choices=OrganisationKind.choices)
    unit = models.ForeignKey(UnitVersion, on_delete=models.PROTECT, related_name="organisations")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)

    class Meta:
        verbose_name = "tổ chức, đơn vị"
        verbose_name_plural = "tổ chức, đơn vị"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_search = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]
