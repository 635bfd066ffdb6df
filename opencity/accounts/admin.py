"""Users in the admin: a municipal admin manages their city's users, never a superuser."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencity.accounts.backends import normalise_phone
from opencity.accounts.models import PersonalAccessToken, PhoneConfirmation, User
from opencity.accounts.services import user_username_for
from opencity.core.admin_mixins import (
    MunicipalAdminMixin,
    admin_is_superuser,
)


class _UserContactsMixin:
    """Normalise the phone and keep e-mail and phone unique inside the municipality."""

    admin_municipality_id: int | None = None

    def _municipality_id(self):
        chosen = self.cleaned_data.get("municipality")
        if chosen is not None:
            return chosen.pk
        return self.admin_municipality_id or self.instance.municipality_id

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_phone(self):
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return ""
        phone = normalise_phone(raw)
        if not phone:
            raise ValidationError(_("Enter a phone number such as +7 917 123-45-67."))
        return phone

    def clean(self):
        data = super().clean()
        email, phone = data.get("email", ""), data.get("phone", "")
        both_shown = "email" in self.fields and "phone" in self.fields
        if both_shown and not email and not phone and not self.errors:
            raise ValidationError(_("Give an e-mail address or a phone number."))
        municipality_id = self._municipality_id()
        if municipality_id is None:
            if "municipality" in self.fields:
                self.add_error("municipality", _("Choose the municipality of the user."))
            return data
        others = User.objects.filter(municipality_id=municipality_id).exclude(pk=self.instance.pk)
        if email and others.filter(email__iexact=email).exists():
            self.add_error("email", _("Another user of this municipality has this e-mail."))
        if phone and others.filter(phone=phone).exists():
            self.add_error("phone", _("Another user of this municipality has this phone."))
        return data


class UserAdminCreationForm(_UserContactsMixin, forms.ModelForm):
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "role", "municipality", "is_staff"]

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
                phone=data.get("phone", ""),
            )
            try:
                validate_password(password1, user=candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


class UserAdminChangeForm(_UserContactsMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(MunicipalAdminMixin, DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    inlines = []  # organisations/admin.py adds the user's memberships
    list_display = ["__str__", "email", "phone", "role", "is_staff", "is_active"]
    list_filter = ["role", "is_staff", "is_active", "email_confirmed", "phone_confirmed"]
    search_fields = ["full_name", "email", "phone", "username"]
    ordering = ["full_name", "id"]
    readonly_fields = ["username", "last_login", "date_joined"]

    superuser_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("full_name", "email", "email_confirmed", "phone", "phone_confirmed")},
        ),
        (
            _("Role and access"),
            {
                "fields": (
                    "municipality",
                    "role",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    # No superuser flag, groups, permissions or municipality: nothing that leaves the city.
    municipal_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("full_name", "email", "email_confirmed", "phone", "phone_confirmed")},
        ),
        (_("Role and access"), {"fields": ("role", "is_active", "is_staff")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_add_fieldsets(self, request):
        fields = ["full_name", "email", "phone", "role", "is_staff", "password1", "password2"]
        if admin_is_superuser(request):
            fields.insert(0, "municipality")
        return ((None, {"classes": ("wide",), "fields": fields}),)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.get_add_fieldsets(request)
        if admin_is_superuser(request):
            return self.superuser_fieldsets
        return self.municipal_fieldsets

    def get_inlines(self, request, obj):
        # Memberships are added once the user exists, as Django's own user admin does.
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not admin_is_superuser(request):
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.admin_municipality_id = (
            None if admin_is_superuser(request) else (request.user.municipality_id)
        )
        return form

    def _obj_in_scope(self, request, obj) -> bool:
        if obj is not None and obj.is_superuser and not admin_is_superuser(request):
            return False
        return super()._obj_in_scope(request, obj)

    def save_model(self, request, obj, form, change):
        if not admin_is_superuser(request):
            if obj.is_superuser:
                raise PermissionDenied
            obj.municipality_id = request.user.municipality_id
        if obj.municipality_id and (
            not change or {"email", "phone", "municipality"} & set(form.changed_data)
        ):
            obj.username = user_username_for(
                municipality=obj.municipality, email=obj.email, phone=obj.phone, exclude_pk=obj.pk
            )
        super().save_model(request, obj, form, change)


@admin.register(PhoneConfirmation)
class PhoneConfirmationAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["phone", "user", "created_at", "expires_at", "attempts", "confirmed_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["phone", "user__full_name", "user__email"]
    fields = ["user", "phone", "created_at", "expires_at", "attempts", "confirmed_at"]
    readonly_fields = fields
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    """Tokens are created by their owners on the profile page; here they are seen and revoked."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__email", "user__phone", "user__full_name"]
    readonly_fields = [
        "municipality",
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
