"""Users, their scoped role assignments and the login-failure log used for throttling."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from hoctap.core.ids import new_public_id
from hoctap.core.permissions import ROLE_LABELS, Role


class User(AbstractUser):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    full_name = models.CharField("họ và tên", max_length=200, blank=True)
    position = models.CharField("chức vụ", max_length=200, blank=True)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """user × role × (unit | village | organisation) × subtree × validity."""

    ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in Role]

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField("vai trò", max_length=30, choices=ROLE_CHOICES)
    unit = models.ForeignKey(
        "units.UnitVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "units.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "units.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subtree = models.BooleanField("cả đơn vị cấp dưới", default=True)
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "phân công vai trò"
        verbose_name_plural = "phân công vai trò"
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(village__isnull=False) | Q(organisation__isnull=False),
                name="role_assignment_has_scope",
            ),
        ]

    def __str__(self) -> str:
        target = self.unit or self.village or self.organisation
        return f"{self.user} — {self.get_role_display()} — {target}"


class LoginFailure(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    ip = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "đăng nhập thất bại"
        verbose_name_plural = "đăng nhập thất bại"

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip}"
