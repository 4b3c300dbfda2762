"""Read-only admin listings: every write goes through the services (import, activate, freeze, targets)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hoctap.criteria.models import CriteriaSet, ProvinceTarget


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "title", "status", "frozen", "unconfirmed", "valid_from", "valid_to")
    list_filter = ("status", "frozen", "unconfirmed", "subject_kind")
    search_fields = ("code", "title", "legal_number")


@admin.register(ProvinceTarget)
class ProvinceTargetAdmin(ReadOnlyAdmin):
    list_display = ("unit", "target_code", "year", "value", "national_value", "set_at")
    list_filter = ("year",)
