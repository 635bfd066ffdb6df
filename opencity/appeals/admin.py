"""The back office of appeals: municipal admins edit their categories' rules; appeals are read.

Appeals change only through the services (every change writes an event), so the admin shows
them with their history and lets an administrator fix a few descriptive fields at most.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from opencity.appeals.models import (
    Appeal,
    AppealEvent,
    Category,
    CategoryQuestion,
    DeadlinePolicy,
)
from opencity.core.admin_mixins import (
    MunicipalAdminMixin,
    MunicipalInlineMixin,
    ReadOnlyMixin,
    scope_queryset,
)


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """Offer only the related rows of the admin's municipality (cheap on a million appeals)."""

    def field_choices(self, field, request, model_admin):
        queryset = scope_queryset(field.related_model._default_manager.all(), request)
        ordering = self.field_admin_ordering(field, request, model_admin) or ()
        return [(obj.pk, str(obj)) for obj in queryset.order_by(*ordering)[:500]]


class DeadlinePolicyInline(MunicipalInlineMixin, admin.TabularInline):
    model = DeadlinePolicy
    fields = ["stage", "amount", "unit", "window_start", "window_end", "months", "source"]
    extra = 0


class CategoryQuestionInline(MunicipalInlineMixin, admin.StackedInline):
    model = CategoryQuestion
    fields = [
        ("code", "datatype", "required", "order"),
        "label",
        "help_text",
        "values",
        ("min_value", "max_value"),
    ]
    extra = 0


@admin.register(Category)
class CategoryAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "parent",
        "responsible_kind",
        "priority",
        "photo_required",
        "moderated",
        "is_active",
    ]
    list_filter = [
        "responsible_kind",
        "priority",
        "is_active",
        "moderated",
        "photo_required",
        ("parent", ScopedRelatedFilter),
    ]
    list_select_related = ["parent"]
    search_fields = ["name", "code", "keywords"]
    inlines = [DeadlinePolicyInline, CategoryQuestionInline]
    fieldsets = [
        (None, {"fields": ["municipality", "parent", "code", "name", "description", "keywords"]}),
        (None, {"fields": ["order", "is_active"]}),
        (
            _("Routing"),
            {"fields": ["responsible_kind", "resource", "territory_kind", "department_area"]},
        ),
        (
            _("Filing"),
            {
                "fields": [
                    "priority",
                    "needs_building",
                    "photo_required",
                    "moderated",
                    "duplicate_radius_m",
                    "auto_close_days",
                    "reopen_window_days",
                ]
            },
        ),
    ]


class AppealEventInline(ReadOnlyMixin, MunicipalInlineMixin, admin.TabularInline):
    model = AppealEvent
    fields = ["created_at", "kind", "actor", "from_status", "to_status", "comment", "is_public"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Appeal)
class AppealAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "category",
        "status",
        "priority",
        "organisation",
        "deadline_at",
        "was_overdue",
        "created_at",
    ]
    list_filter = [
        "status",
        "priority",
        "channel",
        "was_overdue",
        ("category", ScopedRelatedFilter),
        ("organisation", ScopedRelatedFilter),
        ("district", ScopedRelatedFilter),
    ]
    list_select_related = ["category", "organisation"]
    search_fields = ["=number", "address", "contact_phone", "contact_email"]
    # No date_hierarchy: its distinct-dates query is slow on a million appeals.
    show_full_result_count = False
    inlines = [AppealEventInline]
    raw_id_fields = ["author", "registered_by", "building", "executor", "merged_into"]
    # The number, the clock and the outcome are set by the services, never by hand.
    readonly_fields = [
        "number",
        "created_at",
        "status",
        "channel",
        "stage",
        "deadline_at",
        "resolve_deadline_at",
        "overdue_at",
        "escalation_level",
        "was_overdue",
        "accepted_at",
        "resolved_at",
        "closed_at",
        "rating",
        "rating_comment",
        "reopened_count",
        "closed_by_resident",
        "supporters_count",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["municipality", "number", "created_at", "channel", "status"]}),
        (None, {"fields": ["category", "priority", "description", "answers", "is_public"]}),
        (
            _("Where"),
            {
                "fields": [
                    "building",
                    "apartment_number",
                    "entrance_number",
                    "address",
                    ("lat", "lon"),
                    "district",
                ]
            },
        ),
        (
            _("Who"),
            {
                "fields": [
                    "author",
                    "registered_by",
                    "contact_name",
                    "contact_phone",
                    "contact_email",
                    "contact_preference",
                ]
            },
        ),
        (_("Work"), {"fields": ["organisation", "executor", "merged_into", "resolution"]}),
        (
            _("Clock"),
            {
                "fields": [
                    "stage",
                    "deadline_at",
                    "resolve_deadline_at",
                    "overdue_at",
                    "escalation_level",
                    "was_overdue",
                    "accepted_at",
                    "resolved_at",
                    "closed_at",
                    "updated_at",
                ]
            },
        ),
        (
            _("Outcome"),
            {
                "fields": [
                    "rating",
                    "rating_comment",
                    "reopened_count",
                    "closed_by_resident",
                    "supporters_count",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False  # appeals are filed through the intake service, which numbers and routes

    def has_delete_permission(self, request, obj=None):
        return False  # the history of an appeal is kept


@admin.register(AppealEvent)
class AppealEventAdmin(ReadOnlyMixin, MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["appeal", "kind", "actor", "from_status", "to_status", "created_at"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["appeal", "actor"]
    search_fields = ["=appeal__number"]
    ordering = ["-created_at"]
    show_full_result_count = False
    raw_id_fields = ["appeal", "actor"]
