"""The Django admin scoped to one municipality.

Every ModelAdmin (and inline) of a MunicipalModel mixes in MunicipalAdminMixin
(MunicipalInlineMixin): a municipal administrator sees and edits only rows of their own
municipality, new rows get it automatically, and foreign-key choices stay inside it.
The superuser sees everything and picks the municipality by hand.

Permissions come from the role, not from Django groups: a user with role municipal_admin
(and is_staff, to enter the admin site) may view, add, change and delete the municipal
models of their municipality. The role is the single source of truth the rest of the
platform already checks, so there is no group to keep in step with it. Other staff fall
back to Django's model permissions, still scoped to their municipality.

See docs/subsystems/tenancy.md.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

MUNICIPAL_ADMIN_ROLE = "municipal_admin"


def admin_is_superuser(request) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


def admin_is_municipal_admin(request) -> bool:
    user = request.user
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and not user.is_superuser
        and user.role == MUNICIPAL_ADMIN_ROLE
        and user.municipality_id is not None
    )


def admin_municipality_id(request) -> int | None:
    """Return the municipality the admin user is confined to (None for the superuser)."""
    return None if admin_is_superuser(request) else request.user.municipality_id


def _has_municipality(model) -> bool:
    try:
        field = model._meta.get_field("municipality")
    except Exception:  # noqa: BLE001 - FieldDoesNotExist and friends
        return False
    return field.is_relation


def scope_queryset(queryset, request):
    """Limit a queryset of a municipal model (or of Municipality itself) to the admin's city."""
    if admin_is_superuser(request):
        return queryset
    municipality_id = request.user.municipality_id
    model = queryset.model
    if model._meta.label_lower == "core.municipality":
        return queryset.filter(pk=municipality_id)
    if _has_municipality(model):
        return queryset.filter(municipality_id=municipality_id)
    return queryset


class MunicipalModelForm(forms.ModelForm):
    """Refuse related rows that belong to another municipality than the row itself."""

    def clean(self):
        data = super().clean()
        chosen = data.get("municipality")
        municipality_id = (
            chosen.pk if chosen is not None else self.instance.__dict__.get("municipality_id")
        )
        if municipality_id is None:
            return data
        for name, value in list(data.items()):
            if name == "municipality" or value is None:
                continue
            values = value if hasattr(value, "__iter__") and not isinstance(value, str) else [value]
            for item in values:
                other = getattr(item, "municipality_id", None)
                if other is not None and other != municipality_id:
                    self.add_error(name, _("This belongs to another municipality."))
                    break
        return data


class ScopedPermissionsMixin:
    def _obj_in_scope(self, request, obj) -> bool:
        if obj is None or admin_is_superuser(request):
            return True
        municipality_id = request.user.municipality_id
        if obj._meta.label_lower == "core.municipality":
            return obj.pk == municipality_id
        return getattr(obj, "municipality_id", municipality_id) == municipality_id

    def _allowed(self, request, obj, default) -> bool:
        if admin_is_superuser(request):
            return True
        if not self._obj_in_scope(request, obj):
            return False
        if admin_is_municipal_admin(request):
            return True
        return default()

    def has_module_permission(self, request):
        if admin_is_municipal_admin(request):
            return True
        return super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(
            request,
            obj,
            lambda: super(ScopedPermissionsMixin, self).has_view_permission(request, obj),
        )

    def has_add_permission(self, request, *args):
        # ModelAdmin.has_add_permission(request); InlineModelAdmin's takes (request, obj).
        return self._allowed(
            request,
            None,
            lambda: super(ScopedPermissionsMixin, self).has_add_permission(request, *args),
        )

    def has_change_permission(self, request, obj=None):
        return self._allowed(
            request,
            obj,
            lambda: super(ScopedPermissionsMixin, self).has_change_permission(request, obj),
        )

    def has_delete_permission(self, request, obj=None):
        return self._allowed(
            request,
            obj,
            lambda: super(ScopedPermissionsMixin, self).has_delete_permission(request, obj),
        )


class ScopedFieldsMixin:
    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not admin_is_superuser(request) and "municipality" not in exclude:
            exclude.append("municipality")
        return exclude

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not admin_is_superuser(request) and "municipality" in fields:
            fields.remove("municipality")
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if admin_is_superuser(request):
            return fieldsets
        cleaned = []
        for name, options in fieldsets:
            fields = [f for f in options.get("fields", ()) if f != "municipality"]
            cleaned.append((name, {**options, "fields": fields}))
        return cleaned

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            related = db_field.related_model
            queryset = self.get_field_queryset(None, db_field, request)
            if queryset is None:
                queryset = related._default_manager.all()
            kwargs["queryset"] = scope_queryset(queryset, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            related = db_field.remote_field.model
            queryset = self.get_field_queryset(None, db_field, request)
            if queryset is None:
                queryset = related._default_manager.all()
            kwargs["queryset"] = scope_queryset(queryset, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class MunicipalAdminMixin(ScopedPermissionsMixin, ScopedFieldsMixin):
    """Scope a ModelAdmin of a MunicipalModel to the signed-in administrator's municipality."""

    form = MunicipalModelForm

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if admin_is_superuser(request) and "municipality" not in filters:
            filters.insert(0, "municipality")
        return filters

    def get_list_display(self, request):
        display = list(super().get_list_display(request))
        if admin_is_superuser(request) and "municipality" not in display:
            display.append("municipality")
        return display

    def save_model(self, request, obj, form, change):
        if not admin_is_superuser(request):
            if change and obj.municipality_id != request.user.municipality_id:
                raise PermissionDenied
            obj.municipality_id = request.user.municipality_id
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Give inline rows the municipality of the row they belong to."""
        parent_municipality_id = getattr(form.instance, "municipality_id", None)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if hasattr(obj, "municipality_id") and parent_municipality_id is not None:
                obj.municipality_id = parent_municipality_id
            obj.save()
        formset.save_m2m()


class MunicipalInlineMixin(ScopedPermissionsMixin, ScopedFieldsMixin):
    """Scope an inline of a MunicipalModel; the parent admin's save_formset sets municipality."""

    form = MunicipalModelForm


class ReadOnlyMixin:
    """Rows written only by the services (events, readings, imports): shown, never edited."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
