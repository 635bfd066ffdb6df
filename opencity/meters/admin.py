"""The back office of meters: municipal admins edit the rules, windows and meters; readings and
imports are read here (they change through the residents' and staff pages and imports)."""

from django.contrib import admin

from opencity.core.admin_mixins import MunicipalAdminMixin, ReadOnlyMixin
from opencity.meters.models import (
    Meter,
    MeterKindRule,
    MeterReading,
    MeterRules,
    ReadingImport,
    SubmissionWindow,
)


@admin.register(MeterRules)
class MeterRulesAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "jump_factor",
        "average_months",
        "min_history_months",
        "remind_days_before",
        "average_fallback_months",
    ]


@admin.register(MeterKindRule)
class MeterKindRuleAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "verification_years", "digits", "unit"]


@admin.register(SubmissionWindow)
class SubmissionWindowAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "organisation", "opens_day", "closes_day"]
    autocomplete_fields = ["organisation"]


@admin.register(Meter)
class MeterAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = [
        "serial_number",
        "kind",
        "zones",
        "building",
        "apartment",
        "provider",
        "verified_on",
        "is_active",
    ]
    list_filter = ["kind", "zones", "is_active"]
    search_fields = ["=serial_number", "building__search_text"]
    raw_id_fields = ["building", "apartment", "replaces"]
    autocomplete_fields = ["provider"]
    list_select_related = ["building", "apartment", "provider"]
    show_full_result_count = False


@admin.register(MeterReading)
class MeterReadingAdmin(ReadOnlyMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_display = [
        "meter",
        "period",
        "value1",
        "value2",
        "value3",
        "consumption",
        "source",
        "implausible",
        "verification_overdue",
    ]
    list_filter = ["source", "implausible", "verification_overdue"]
    search_fields = ["=meter__serial_number"]
    list_select_related = ["meter"]
    show_full_result_count = False


@admin.register(ReadingImport)
class ReadingImportAdmin(ReadOnlyMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "filename", "provider", "method", "accepted", "failed", "flagged"]
    exclude = ["report"]
