from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from opencity.core.admin_mixins import (
    MunicipalAdminMixin,
    ScopedPermissionsMixin,
    admin_is_superuser,
    scope_queryset,
)
from opencity.core.geo import boundary_parse
from opencity.core.models import District, Municipality
from opencity.core.services import municipality_geometry_errors

# The admin site is the city's, not Django's: its title and header say so in every language.
admin.site.site_title = _("opencity administration")
admin.site.site_header = _("opencity administration")

# The model's defaults are Kazan's: a new city must be given its own, not inherit them unseen.
NO_INITIAL_ON_ADD = ("center_lat", "center_lon", "time_zone")


class MunicipalityAdminForm(forms.ModelForm):
    """The admin's municipality form (ModelAdmin gives it its Meta)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for name in NO_INITIAL_ON_ADD:
                if name in self.fields:
                    self.initial[name] = None
                    self.fields[name].initial = None

    def clean(self):
        data = super().clean()
        lat, lon = data.get("center_lat"), data.get("center_lon")
        boundary = data.get("boundary")
        if lat is None or lon is None or boundary in (None, ""):
            return data
        try:
            data["boundary"] = boundary = boundary_parse(boundary)
        except ValueError as exc:
            self.add_error("boundary", str(exc))
            return data
        problems = municipality_geometry_errors(centre=(lat, lon), boundary=boundary)
        for problem in problems.get("centre", []):
            self.add_error("center_lat", problem)
        return data


@admin.register(Municipality)
class MunicipalityAdmin(ScopedPermissionsMixin, admin.ModelAdmin):
    """The superuser manages every municipality; a municipal admin edits only their own."""

    form = MunicipalityAdminForm

    list_display = ["name", "slug", "code", "is_active"]
    search_fields = ["name", "slug", "code"]
    list_filter = ["is_active"]
    # Routing keys: changing them moves the city's URLs, so only the superuser may.
    routing_fields = ["slug", "code", "hosts", "is_active"]

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not admin_is_superuser(request):
            readonly += [f for f in self.routing_fields if f not in readonly]
        return readonly

    def has_add_permission(self, request):
        return admin_is_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return admin_is_superuser(request)


@admin.register(District)
class DistrictAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


# Calendar overrides and the outbox (appended with the appeals work).
from django.contrib import messages  # noqa: E402
from django.utils.translation import ngettext  # noqa: E402

from opencity.core import outbox  # noqa: E402
from opencity.core.models import CalendarOverride, OutboxMessage  # noqa: E402


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    """The production calendar's transfers, shortened days and regional holidays."""

    list_display = ["date", "kind", "name", "work_day_end"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    """What the platform sent or will send: read-only, with a way to retry failures now."""

    list_display = ["created_at", "channel", "address", "subject", "status", "attempts"]
    list_filter = ["status", "channel"]
    search_fields = ["address", "subject", "=dedupe_key"]
    ordering = ["-created_at"]
    show_full_result_count = False
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry now"))
    def retry_now(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        count = outbox.outbox_retry_now(message_ids=ids)
        if ids:
            outbox.outbox_schedule(ids)
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be sent again.",
                "%(count)d messages will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
