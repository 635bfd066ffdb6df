"""The back office of the wear methodology: municipal admins edit a draft version (elements,
bands, signs, building types, shares, grades), create a new version from any other, and put a
draft in force. A version in force or superseded is shown, never changed.

See docs/subsystems/inspections.md.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from opencity.core.admin_mixins import (
    MunicipalAdminMixin,
    MunicipalInlineMixin,
    ReadOnlyMixin,
    scope_queryset,
)
from opencity.core.errors import DomainError
from opencity.inspections import services
from opencity.inspections.models import (
    BuildingType,
    CostShare,
    CostShareElement,
    DamageSign,
    Element,
    Inspection,
    InspectionDeadline,
    InspectionSeason,
    Methodology,
    MethodologyStatus,
    WearBand,
    WearGrade,
)


def _methodology_of(obj):
    """The version a row of the methodology belongs to (None for a row not yet saved)."""
    for path in (
        "methodology",
        "element.methodology",
        "band.element.methodology",
        "building_type.methodology",
        "share.building_type.methodology",
    ):
        current = obj
        for name in path.split("."):
            current = getattr(current, name, None)
            if current is None:
                break
        if isinstance(current, Methodology):
            return current
    return None


# A row is added only under a draft: the path from each parent model to its version's status.
DRAFT_PATHS = {
    Methodology: "status",
    Element: "methodology__status",
    WearBand: "element__methodology__status",
    BuildingType: "methodology__status",
    CostShare: "building_type__methodology__status",
}


class FrozenVersionMixin:
    """Rows of a version in force or superseded are read-only, the version's own row too."""

    def _frozen(self, obj) -> bool:
        methodology = (
            obj if isinstance(obj, Methodology) else (_methodology_of(obj) if obj else None)
        )
        return bool(methodology and methodology.pk and methodology.is_frozen)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        draft = DRAFT_PATHS.get(db_field.related_model)
        if draft is not None and "queryset" not in kwargs:
            queryset = db_field.related_model._default_manager.filter(
                **{draft: MethodologyStatus.DRAFT}
            )
            kwargs["queryset"] = scope_queryset(queryset, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, *args):
        # An inline asks with its parent row: nothing is added under a frozen version.
        parent = args[0] if args else None
        return not self._frozen(parent) and super().has_add_permission(request, *args)


class GradeInline(FrozenVersionMixin, MunicipalInlineMixin, admin.TabularInline):
    model = WearGrade
    extra = 0
    fields = [
        "scale",
        "code",
        "name",
        "lower",
        "upper",
        "meaning",
        "source",
        "source_status",
        "order",
    ]


class BuildingTypeInline(FrozenVersionMixin, MunicipalInlineMixin, admin.TabularInline):
    model = BuildingType
    extra = 0
    fields = [
        "code",
        "name",
        "wall_material",
        "storeys_min",
        "storeys_max",
        "source",
        "source_status",
    ]
    show_change_link = True


@admin.register(Methodology)
class MethodologyAdmin(FrozenVersionMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["title", "version", "status", "published_at", "source_status"]
    list_filter = ["status", "code"]
    readonly_fields = ["status", "published_at", "based_on"]
    fields = [
        "municipality",
        ("code", "version"),
        "title",
        ("status", "published_at", "based_on"),
        "notes",
        ("part_rounding", "element_rounding", "building_rounding"),
        "rounding_source",
        "source",
        "source_status",
    ]
    inlines = [GradeInline, BuildingTypeInline]
    actions = ["new_version", "publish"]

    @admin.action(description=_("Create a new draft version from the chosen one"))
    def new_version(self, request, queryset):
        for methodology in queryset:
            draft = services.methodology_version_create(methodology=methodology)
            self.message_user(
                request, _("Draft version %(version)s created.") % {"version": draft.version}
            )

    @admin.action(description=_("Put the chosen draft in force"))
    def publish(self, request, queryset):
        for methodology in queryset:
            try:
                services.methodology_publish(methodology=methodology)
            except DomainError as error:
                problems = "; ".join(error.errors.get("__all__", []))
                self.message_user(
                    request, f"{error.message} {problems}".strip(), level=messages.ERROR
                )
            else:
                self.message_user(
                    request,
                    _("Version %(version)s is in force.") % {"version": methodology.version},
                )


class BandInline(FrozenVersionMixin, MunicipalInlineMixin, admin.TabularInline):
    model = WearBand
    extra = 0
    fields = ["lower", "upper", "works", "source", "source_status"]
    show_change_link = True


@admin.register(Element)
class ElementAdmin(FrozenVersionMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "methodology", "source_status"]
    list_filter = ["methodology", "kind", "source_status"]
    fields = [
        "municipality",
        "methodology",
        ("code", "name"),
        ("kind", "order"),
        "source",
        "source_status",
    ]
    inlines = [BandInline]


class SignInline(FrozenVersionMixin, MunicipalInlineMixin, admin.TabularInline):
    model = DamageSign
    extra = 0
    fields = ["code", "text", "measure", "order"]


@admin.register(WearBand)
class WearBandAdmin(FrozenVersionMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "source_status"]
    list_filter = ["element__methodology", "source_status"]
    fields = ["municipality", "element", ("lower", "upper"), "works", "source", "source_status"]
    inlines = [SignInline]


class ShareInline(FrozenVersionMixin, MunicipalInlineMixin, admin.TabularInline):
    model = CostShare
    extra = 0
    fields = ["code", "name", "percent", "order", "source", "source_status"]
    show_change_link = True


@admin.register(BuildingType)
class BuildingTypeAdmin(FrozenVersionMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "wall_material",
        "storeys_min",
        "storeys_max",
        "methodology",
        "source_status",
    ]
    list_filter = ["methodology", "wall_material", "source_status"]
    fields = [
        "municipality",
        "methodology",
        ("code", "name"),
        "wall_material",
        ("storeys_min", "storeys_max"),
        "source",
        "source_status",
    ]
    inlines = [ShareInline]


class ShareElementInline(FrozenVersionMixin, MunicipalInlineMixin, admin.TabularInline):
    model = CostShareElement
    extra = 0
    fields = ["element", "weight"]


@admin.register(CostShare)
class CostShareAdmin(FrozenVersionMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["name", "percent", "building_type", "source_status"]
    list_filter = ["building_type__methodology", "source_status"]
    fields = [
        "municipality",
        "building_type",
        ("code", "name"),
        ("percent", "order"),
        "source",
        "source_status",
    ]
    inlines = [ShareElementInline]


@admin.register(InspectionSeason)
class InspectionSeasonAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "start_day", "start_month", "end_day", "end_month", "source_status"]
    fields = [
        "municipality",
        "kind",
        ("start_day", "start_month"),
        ("end_day", "end_month"),
        "source",
        "source_status",
    ]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyMixin, MunicipalAdminMixin, admin.ModelAdmin):
    """Plans are generated and assigned by the services; the admin shows them."""

    list_display = [
        "building",
        "kind",
        "season_year",
        "due_date",
        "status",
        "organisation",
        "inspector",
    ]
    list_filter = ["kind", "status", "season_year"]
    list_select_related = ["building", "organisation", "inspector"]
    raw_id_fields = ["building", "organisation", "inspector", "element"]


@admin.register(InspectionDeadline)
class InspectionDeadlineAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "amount", "unit", "source_status"]
    fields = ["municipality", "kind", ("amount", "unit"), "source", "source_status"]
