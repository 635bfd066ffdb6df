from django.contrib import admin

from opencity.core.admin_mixins import (
    MunicipalAdminMixin,
    ScopedPermissionsMixin,
    admin_is_superuser,
    scope_queryset,
)
from opencity.core.models import District, Municipality


@admin.register(Municipality)
class MunicipalityAdmin(ScopedPermissionsMixin, admin.ModelAdmin):
    """The superuser manages every municipality; a municipal admin edits only their own."""

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
