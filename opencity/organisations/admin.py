from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from opencity.accounts.admin import UserAdmin
from opencity.accounts.models import User
from opencity.core.admin_mixins import (
    MunicipalAdminMixin,
    MunicipalInlineMixin,
)
from opencity.organisations.models import (
    ApiKey,
    Membership,
    Organisation,
    OrganisationContact,
    ServiceArea,
)
from opencity.organisations.services import api_key_revoke


class ContactInline(MunicipalInlineMixin, admin.TabularInline):
    model = OrganisationContact
    fields = ["kind", "value", "label", "is_public"]
    extra = 0


class MembershipInline(MunicipalInlineMixin, admin.TabularInline):
    model = Membership
    fields = ["user", "role", "position", "is_active"]
    autocomplete_fields = ["user"]
    extra = 0


class UserMembershipInline(MunicipalInlineMixin, admin.TabularInline):
    model = Membership
    fk_name = "user"
    fields = ["organisation", "role", "position", "is_active"]
    autocomplete_fields = ["organisation"]
    extra = 0


class UserWithMembershipsAdmin(UserAdmin):
    """The user's page with their memberships (accounts sit below organisations and cannot
    name them)."""

    inlines = [*UserAdmin.inlines, UserMembershipInline]


admin.site.unregister(User)
admin.site.register(User, UserWithMembershipsAdmin)


class ServiceAreaInline(MunicipalInlineMixin, admin.StackedInline):
    model = ServiceArea
    fields = ["name", "district", "resource", "boundary"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "inn", "phone", "is_active"]
    list_filter = ["kind", "is_active", "department_area"]
    search_fields = ["name", "short_name", "inn", "ogrn", "external_id"]
    inlines = [ContactInline, MembershipInline, ServiceAreaInline]
    fieldsets = [
        (
            None,
            {"fields": ["municipality", "kind", "name", "short_name", "inn", "ogrn", "is_active"]},
        ),
        (None, {"fields": ["address", "phone", "email", "website"]}),
        (None, {"fields": ["resources", "department_area", "district", "external_id"]}),
    ]


@admin.register(ApiKey)
class ApiKeyAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    """Keys are created on the API keys page (the secret is shown once there); here they are
    seen and revoked."""

    list_display = [
        "name",
        "organisation",
        "role",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["role", "revoked_at"]
    search_fields = ["name", "prefix", "organisation__name"]
    readonly_fields = [
        "municipality",
        "organisation",
        "user",
        "name",
        "role",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for key in queryset.filter(revoked_at__isnull=True).select_related("organisation"):
            api_key_revoke(actor=request.user, api_key=key)
