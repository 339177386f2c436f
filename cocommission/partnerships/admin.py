"""Django admin for platform admins: read-mostly, because membership changes belong to the
services, which lock the partnership, keep a coordinator in charge and write the audit log."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cocommission.core.admin import ReadOnlyAdminMixin
from cocommission.core.audit import record_update, snapshot

from .models import Partnership, PartnershipOrganisation, PartnershipPerson


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartnershipOrganisationInline(ReadOnlyInline):
    model = PartnershipOrganisation
    fields = ["organisation", "sector", "seat"]
    readonly_fields = ["organisation", "sector", "seat"]


class PartnershipPersonInline(ReadOnlyInline):
    model = PartnershipPerson
    fields = ["user", "role", "organisation", "lived_experience"]
    readonly_fields = ["user", "role", "organisation", "lived_experience"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "slug", "created_at"]
    search_fields = ["name", "place", "slug"]
    readonly_fields = ["slug", "created_by", "created_at", "updated_at"]
    fields = ["name", "slug", "place", "description", "created_by", "created_at", "updated_at"]
    inlines = [PartnershipOrganisationInline, PartnershipPersonInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # Partnerships start on the site, so their first coordinator is recorded.

    def save_model(self, request: HttpRequest, obj: Partnership, form: Any, change: bool) -> None:
        # The form has already changed obj, so the "before" values come from the database.
        before = snapshot(Partnership.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        record_update(actor=request.user, instance=obj, before=before, partnership_id=obj.pk)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PartnershipOrganisation)
class PartnershipOrganisationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "partnership", "sector", "seat"]
    list_filter = ["sector"]
    search_fields = ["organisation__name", "partnership__name"]
    list_select_related = ["organisation", "partnership"]


@admin.register(PartnershipPerson)
class PartnershipPersonAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "partnership", "role", "organisation", "lived_experience"]
    list_filter = ["role", "lived_experience"]
    search_fields = ["user__email", "user__full_name", "partnership__name"]
    list_select_related = ["user", "organisation", "partnership"]
