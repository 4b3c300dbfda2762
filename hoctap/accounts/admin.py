from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hoctap.accounts.models import LoginFailure, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("unit", "village", "organisation")
    fk_name = "user"


@admin.register(User)
class HoctapUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("hoctap", {"fields": ("full_name", "position")}))
    list_display = ("username", "full_name", "position", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "email")
    inlines = [RoleAssignmentInline]


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ("username", "ip", "created_at")
    readonly_fields = ("username", "ip", "created_at")
