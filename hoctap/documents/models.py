"""Number registers (one per issuing body, document type and year) and the documents issued from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hoctap.core.ids import new_public_id


class DocType(models.TextChoices):
    QD = "qd", "Quyết định"
    TTR = "ttr", "Tờ trình"
    BC = "bc", "Báo cáo"
    BB = "bb", "Biên bản"
    KH = "kh", "Kế hoạch"
    TB = "tb", "Thông báo"


class DocumentRegister(models.Model):
    """Sổ đăng ký văn bản: numbers start at 01 on 1 January and never repeat or skip."""

    issuer = models.ForeignKey("units.UnitVersion", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField("loại văn bản", max_length=4, choices=DocType.choices)
    year = models.PositiveSmallIntegerField("năm")
    last_number = models.PositiveIntegerField("số cuối cùng đã cấp", default=0)

    class Meta:
        verbose_name = "sổ đăng ký văn bản"
        verbose_name_plural = "sổ đăng ký văn bản"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "doc_type", "year"], name="register_issuer_type_year_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.year} — {self.issuer}"


class IssuedDocument(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", "Đã ban hành"
        CANCELLED = "cancelled", "Đã hủy (số được giữ lại)"

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    register = models.ForeignKey(DocumentRegister, on_delete=models.PROTECT, related_name="documents")
    number = models.PositiveIntegerField("số")
    symbol = models.CharField("ký hiệu", max_length=50)
    issued_on = models.DateField("ngày ban hành")
    summary = models.CharField("trích yếu", max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED)
    cancelled_reason = models.TextField(blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "văn bản đã cấp số"
        verbose_name_plural = "văn bản đã cấp số"
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="document_register_number_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.summary}"

    @property
    def reference(self) -> str:
        """ "05/QĐ-UBND": the number with its leading zero below 10, then the symbol."""
        return f"{self.number:02d}/{self.symbol}"


def template_upload_to(instance: DocumentTemplate, filename: str) -> str:
    """``document_templates/qd/v3-1a2b3c4d5e6f.docx``: never the uploader's file name."""
    return f"document_templates/{instance.doc_type}/v{instance.version}-{instance.sha256[:12]}.docx"


class DocumentTemplate(models.Model):
    """An administrator's Word template of one document type; version 0 is the shipped default (no row)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Đang áp dụng"
        RETIRED = "retired", "Không áp dụng"

    doc_type = models.CharField("loại văn bản", max_length=4, choices=DocType.choices)
    version = models.PositiveIntegerField("phiên bản")
    file = models.FileField("tệp mẫu", upload_to=template_upload_to, max_length=200)
    file_name = models.CharField("tên tệp khi nạp", max_length=200)
    size = models.PositiveIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    note = models.TextField("ghi chú", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("thời điểm nạp", auto_now_add=True)

    class Meta:
        verbose_name = "mẫu văn bản"
        verbose_name_plural = "mẫu văn bản"
        ordering = ["doc_type", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_type", "version"], name="document_template_type_version_uniq"
            ),
            models.UniqueConstraint(
                fields=["doc_type"],
                condition=models.Q(status="active"),
                name="document_template_one_active_per_type",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="document_template_version_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "retired"]), name="document_template_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} — phiên bản {self.version}"
