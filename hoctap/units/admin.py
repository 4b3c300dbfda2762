from django.contrib import admin

from hoctap.units.models import Organisation, UnitLineage, UnitVersion, Village, VillageParent


@admin.register(UnitVersion)
class UnitVersionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "valid_from", "valid_to", "legal_basis")
    list_filter = ("level", "kind", "valid_from")
    search_fields = ("code", "name", "name_search")
    raw_id_fields = ("parent",)
    readonly_fields = ("public_id", "province", "district")


@admin.register(UnitLineage)
class UnitLineageAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "kind", "is_default", "effective_on")
    list_filter = ("kind", "is_default")
    raw_id_fields = ("predecessor", "successor")


class VillageParentInline(admin.TabularInline):
    model = VillageParent
    extra = 0
    raw_id_fields = ("commune",)


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "valid_from", "valid_to")
    search_fields = ("name", "name_search")
    inlines = [VillageParentInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "unit", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "name_search")
    raw_id_fields = ("unit", "parent")
