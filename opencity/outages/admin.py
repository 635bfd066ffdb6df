"""The back office of outages: municipal admins edit the permitted interruptions; outages are
read (they change through the staff pages, where every change is an event residents hear of)."""

from django.contrib import admin

from opencity.core.admin_mixins import MunicipalAdminMixin, MunicipalInlineMixin, ReadOnlyMixin
from opencity.outages.models import Outage, OutageEvent, OutageNorm, OutageSubscription


@admin.register(OutageNorm)
class OutageNormAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = [
        "resource",
        "max_single_hours",
        "max_single_hours_emergency",
        "max_month_hours",
        "reduction_percent_per_hour",
        "notice_amount",
        "notice_unit",
    ]
    fields = [
        "municipality",
        "resource",
        ("max_single_hours", "max_single_hours_emergency"),
        "max_month_hours",
        "reduction_percent_per_hour",
        ("notice_amount", "notice_unit"),
        "source",
    ]


class OutageEventInline(ReadOnlyMixin, MunicipalInlineMixin, admin.TabularInline):
    model = OutageEvent
    fields = ["created_at", "kind", "actor", "changes", "comment", "notified_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "id"]


@admin.register(Outage)
class OutageAdmin(ReadOnlyMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_display = [
        "resource",
        "kind",
        "area_label",
        "organisation",
        "start_at",
        "planned_end_at",
        "actual_end_at",
        "over_limit",
        "late_notice",
    ]
    list_filter = ["resource", "kind", "over_limit", "late_notice"]
    list_select_related = ["organisation"]
    search_fields = ["reason", "area_label"]
    inlines = [OutageEventInline]
    exclude = ["area_geojson"]


@admin.register(OutageSubscription)
class OutageSubscriptionAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["user", "building", "created_at"]
    raw_id_fields = ["user", "building"]
    list_select_related = ["user", "building"]
