from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from opencity.accounts.admin import UserAdmin
from opencity.accounts.models import User
from opencity.buildings.services import building_assign_management_company
from opencity.core.admin_mixins import (
    MunicipalAdminMixin,
    MunicipalInlineMixin,
    MunicipalModelForm,
    admin_is_superuser,
)
from opencity.organisations.models import (
    BUILDING_MANAGER_KINDS,
    ApiKey,
    ManagementContract,
    Membership,
    Organisation,
    OrganisationContact,
    ServiceArea,
)


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


class ManagementContractForm(MunicipalModelForm):
    def clean(self):
        data = super().clean()
        organisation, building = data.get("organisation"), data.get("building")
        if organisation is not None and organisation.kind not in BUILDING_MANAGER_KINDS:
            self.add_error("organisation", _("This organisation does not manage buildings."))
        start = data.get("start_date")
        if building is not None and start is not None and self.instance.pk is None:
            later = ManagementContract.objects.filter(
                building=building, end_date__isnull=True, start_date__gt=start
            ).exclude(organisation=organisation)
            if later.exists():
                self.add_error(
                    "start_date",
                    _("The current contract of this building started later than this date."),
                )
        return data


@admin.register(ManagementContract)
class ManagementContractAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    """New open-ended contracts go through the service, which keeps Building's manager in step."""

    form = ManagementContractForm
    list_display = ["building", "organisation", "start_date", "end_date", "document"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "start_date"]
    search_fields = ["building__address", "building__search_text", "organisation__name"]
    autocomplete_fields = ["organisation", "building"]
    date_hierarchy = "start_date"
    list_select_related = ["building", "organisation"]

    def save_model(self, request, obj, form, change):
        if change or obj.end_date is not None:
            super().save_model(request, obj, form, change)
            return
        if not admin_is_superuser(request):
            obj.municipality_id = request.user.municipality_id
        # The form checked what the service would refuse; a DomainError here is a race.
        with transaction.atomic():
            contract = building_assign_management_company(
                building=obj.building,
                organisation=obj.organisation,
                start_date=obj.start_date,
                document=obj.document,
            )
        obj.pk = contract.pk
        obj._state.adding = False


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
        "municipality", "organisation", "user", "name", "role", "prefix", "created_by",
        "created_at", "last_used_at", "revoked_at",
    ]  # fmt: skip
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        from opencity.organisations.services import api_key_revoke

        for key in queryset.filter(revoked_at__isnull=True).select_related("organisation"):
            api_key_revoke(actor=request.user, api_key=key)
