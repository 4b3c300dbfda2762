"""Read-only admin for the registry: every write goes through registry.services (audited); CCCD masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hoctap.registry.cccd import mask_cccd
from hoctap.registry.models import Citizen, Clan, Household, ImportBatch


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False  # no COUNT(*) over 470,000 households on every page

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ("code", "head_name", "masked_cccd", "village", "member_count", "status")
    list_filter = ("status",)
    search_fields = ("code", "head_name_search")
    list_select_related = ("village",)
    exclude = ("head_cccd",)

    @admin.display(description="số CCCD chủ hộ")
    def masked_cccd(self, obj: Household) -> str:
        return mask_cccd(obj.head_cccd) if obj.head_cccd else "—"


@admin.register(Citizen)
class CitizenAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "sex", "birth_date", "masked_cccd", "household")
    list_filter = ("sex",)
    search_fields = ("name_search",)
    list_select_related = ("household",)
    exclude = ("cccd",)

    @admin.display(description="số CCCD")
    def masked_cccd(self, obj: Citizen) -> str:
        return mask_cccd(obj.cccd) if obj.cccd else "—"


@admin.register(Clan)
class ClanAdmin(ReadOnlyAdmin):
    list_display = ("name", "branch", "commune", "representative", "registered_on")
    search_fields = ("name_search",)
    list_select_related = ("commune",)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("kind", "file_name", "unit", "year", "status", "created_by", "created_at")
    list_filter = ("kind", "status")
