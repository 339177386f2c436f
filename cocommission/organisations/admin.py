"""The Django admin for platform admins.

Changes made here bypass the services, so each admin records its own audit events: the history
of an organisation must not have a hole where a platform admin stepped in. Invitations and
passport documents cannot be added here because the services do the checks that matter
(sending the email, checking the file's content).
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from cocommission.core import audit

from .models import Area, Interaction, Invitation, Membership, Organisation, PassportDocument
from .services.members import last_admin_message


class AuditedAdmin(admin.ModelAdmin[Any]):
    """Records create, change and delete of each object as an audit event."""

    audit_exclude: tuple[str, ...] = ()

    def _fields(self, obj: models.Model) -> list[str]:
        return [
            f.name
            for f in obj._meta.concrete_fields
            if f.name not in {"id", "created_at", "updated_at", *self.audit_exclude}
        ]

    def _scope(self, obj: Any) -> dict[str, Any]:
        return {"organisation_id": getattr(obj, "organisation_id", None)}

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool) -> None:
        before = None
        if change:
            saved = type(obj)._default_manager.get(pk=obj.pk)
            before = audit.snapshot(saved, self._fields(saved))
        super().save_model(request, obj, form, change)
        if before is None:
            changes = audit.created_changes(audit.snapshot(obj, self._fields(obj)))
            audit.record(actor=request.user, action="create", instance=obj, changes=changes, **self._scope(obj))
        else:
            obj.refresh_from_db()
            audit.record_update(actor=request.user, instance=obj, before=before, **self._scope(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        changes = audit.deleted_changes(audit.snapshot(obj, self._fields(obj)))
        audit.record(actor=request.user, action="delete", instance=obj, changes=changes, **self._scope(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "legal_form", "income_band", "charity_number", "company_number"]
    list_filter = ["kind", "income_band", "legal_form", "areas_served"]
    search_fields = ["name", "charity_number", "company_number"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["income_band", "created_at", "updated_at"]
    filter_horizontal = ["areas_served"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _scope(self, obj: Any) -> dict[str, Any]:
        return {"organisation_id": obj.pk}


def _is_last_admin(membership: Membership) -> bool:
    return (
        membership.role == Membership.Role.ADMIN
        and not Membership.objects.filter(organisation_id=membership.organisation_id, role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


class MembershipAdminForm(forms.ModelForm[Membership]):
    class Meta:
        model = Membership
        fields = ["user", "organisation", "role", "job_title"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        saved = self.instance
        if saved.pk and data.get("role") != Membership.Role.ADMIN:
            saved_copy = Membership.objects.get(pk=saved.pk)
            if _is_last_admin(saved_copy):
                raise ValidationError(last_admin_message(saved_copy.organisation))
        return data


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    form = MembershipAdminForm
    list_display = ["user", "organisation", "role", "job_title"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    # Deleting in bulk would skip the one-admin rule below.
    actions = None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The last admin of an organisation stays: someone must be able to run it.
        if obj is not None and _is_last_admin(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin):
    list_display = ["email", "organisation", "role", "status", "expires_at"]
    list_filter = ["status", "role"]
    search_fields = ["email", "organisation__name"]
    # The token is a key to join; nobody needs to read it here.
    exclude = ["token"]
    readonly_fields = ["organisation", "email", "role", "invited_by", "accepted_by", "responded_at", "created_at"]
    audit_exclude = ("token",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PassportDocument)
class PassportDocumentAdmin(AuditedAdmin):
    list_display = ["organisation", "kind", "original_filename", "expires_on", "is_current", "created_at"]
    list_filter = ["kind", "is_current"]
    search_fields = ["organisation__name", "original_filename"]
    # The file is only ever served by the passport's permission-checked download view.
    exclude = ["file"]
    readonly_fields = [
        "organisation",
        "kind",
        "original_filename",
        "content_type",
        "size_bytes",
        "uploaded_by",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin[Interaction]):
    list_display = ["occurred_on", "kind", "organisation_a", "organisation_b", "partnership"]
    list_filter = ["kind"]
    search_fields = ["summary", "organisation_a__name", "organisation_b__name"]
    autocomplete_fields = ["organisation_a", "organisation_b", "created_by"]
    raw_id_fields = ["partnership"]
