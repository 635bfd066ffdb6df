from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from opencity.buildings.models import AccountHolder, Apartment, Building, Entrance, PersonalAccount
from opencity.buildings.services import building_assign_management_company, building_fill_derived
from opencity.core.admin_mixins import (
    MunicipalAdminMixin,
    MunicipalInlineMixin,
    MunicipalModelForm,
    admin_is_superuser,
)
from opencity.organisations.models import BUILDING_MANAGER_KINDS, ManagementContract


class EntranceInline(MunicipalInlineMixin, admin.TabularInline):
    model = Entrance
    fields = ["number", "floors", "has_lift"]
    extra = 0


class PersonalAccountInline(MunicipalInlineMixin, admin.TabularInline):
    model = PersonalAccount
    fields = ["number", "provider", "is_active"]
    autocomplete_fields = ["provider"]
    extra = 0


@admin.register(Building)
class BuildingAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = [
        "short_address",
        "district",
        "year_built",
        "floors_max",
        "wall_material",
        "management_company",
        "is_emergency",
    ]
    list_filter = [
        ("district", admin.RelatedOnlyFieldListFilter),
        "wall_material",
        "is_emergency",
        "house_type",
        "source",
    ]
    search_fields = [
        "search_text",
        "address",
        "cadastral_number",
        "fias_guid",
        "external_id",
    ]
    list_select_related = ["district", "management_company"]
    readonly_fields = ["apartments_link", "h3_cell", "created_at", "updated_at"]
    # Apartments can number hundreds: they have their own admin, linked from here.
    inlines = [EntranceInline]
    list_per_page = 50
    fieldsets = [
        (
            _("Address"),
            {
                "fields": [
                    "municipality",
                    "address",
                    ("locality_type", "locality_name", "locality_parent"),
                    ("street", "house_number", "corpus", "structure"),
                    "postcode",
                    "district",
                    ("lat", "lon"),
                    "h3_cell",
                    "cadastral_number",
                    "fias_guid",
                    ("external_id", "source"),
                ]
            },
        ),
        (
            _("Construction"),
            {
                "fields": [
                    ("year_built", "series", "house_type"),
                    ("floors_max", "floors_min", "floors_underground"),
                    "entrances_count",
                    ("premises_total", "premises_residential", "premises_nonresidential"),
                    ("area_total", "area_residential", "area_nonresidential"),
                    ("area_common", "area_land", "area_parking"),
                    ("wall_material", "foundation_type", "floor_slab_type"),
                    ("roof_type", "roofing_material"),
                ]
            },
        ),
        (
            _("Engineering systems"),
            {
                "fields": [
                    ("heating_system", "hot_water_system", "cold_water_system"),
                    ("sewage_system", "gas_system", "electricity_system"),
                    ("ventilation_system", "fire_system", "drain_system"),
                    ("lifts_count", "has_garbage_chute"),
                ]
            },
        ),
        (
            _("Condition and management"),
            {
                "fields": [
                    ("is_emergency", "is_heritage"),
                    ("energy_class", "capital_repair_fund"),
                    ("management_company", "management_since"),
                    ("wear_percent", "residents_count"),
                    "amenities",
                    "notes",
                    "apartments_link",
                    ("source_updated_at", "created_at", "updated_at"),
                ]
            },
        ),
    ]

    @admin.display(description=_("apartments"))
    def apartments_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:buildings_apartment_changelist")
        query = urlencode({"building__id__exact": obj.pk})
        return format_html(
            '<a href="{}?{}">{}</a>', url, query, _("Show the apartments of this building")
        )

    def get_readonly_fields(self, request, obj=None):
        # The current manager follows management contracts (buildings.services).
        return [
            *super().get_readonly_fields(request, obj),
            "management_company",
            "management_since",
        ]

    def save_model(self, request, obj, form, change):
        if not admin_is_superuser(request):
            obj.municipality_id = request.user.municipality_id
        building_fill_derived(building=obj)
        super().save_model(request, obj, form, change)


@admin.register(Entrance)
class EntranceAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["building", "number", "floors", "has_lift"]
    search_fields = ["building__search_text", "building__address"]
    autocomplete_fields = ["building"]
    list_select_related = ["building"]


@admin.register(Apartment)
class ApartmentAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "number", "entrance", "floor", "area", "rooms", "is_residential"]
    list_filter = ["is_residential", "rooms"]
    search_fields = ["building__search_text", "building__address", "number"]
    autocomplete_fields = ["building"]
    raw_id_fields = ["entrance"]
    list_select_related = ["building", "entrance"]
    inlines = [PersonalAccountInline]


class AccountHolderInline(MunicipalInlineMixin, admin.TabularInline):
    model = AccountHolder
    fields = ["user", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(PersonalAccount)
class PersonalAccountAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    inlines = [AccountHolderInline]
    list_display = ["number", "apartment", "provider", "is_active"]
    list_filter = ["is_active", ("provider", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["number", "apartment__building__search_text"]
    raw_id_fields = ["apartment"]
    autocomplete_fields = ["provider"]
    list_select_related = ["apartment__building", "provider"]


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
    """New open-ended contracts go through the service, which keeps Building's manager in step
    (registered here, by the app of that service, though the model is organisations')."""

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
