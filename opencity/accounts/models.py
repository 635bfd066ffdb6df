"""Users of every role, all of them inside one municipality (the superuser excepted)."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencity.core.models import Municipality


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    DISPATCHER = "dispatcher", _("Dispatcher")
    ORG_MANAGER = "org_manager", _("Organisation manager")
    ORG_EXECUTOR = "org_executor", _("Organisation executor")
    INSPECTOR = "inspector", _("Inspector")
    ANALYST = "analyst", _("Analyst")
    MUNICIPAL_ADMIN = "municipal_admin", _("Municipal administrator")


STAFF_ROLES = frozenset(Role) - {Role.RESIDENT}
ORGANISATION_ROLES = frozenset({Role.ORG_MANAGER, Role.ORG_EXECUTOR})
# The city's own staff who see and act on the whole municipality (not one organisation's).
CITY_WIDE_ROLES = frozenset({Role.DISPATCHER, Role.MUNICIPAL_ADMIN})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username, password=None, **extra):
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    # An internal unique key ("<municipality>:<email or phone>", or a superuser's name);
    # people sign in with their e-mail or phone inside their municipality.
    username = models.CharField(_("username"), max_length=190, unique=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +79171234567")
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    email_confirmed = models.BooleanField(_("e-mail confirmed"), default=False)
    phone_confirmed = models.BooleanField(_("phone confirmed"), default=False)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Can sign in to the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "email"], condition=~Q(email=""), name="user_unique_email"
            ),
            models.UniqueConstraint(
                fields=["municipality", "phone"], condition=~Q(phone=""), name="user_unique_phone"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else str(self)

    @property
    def is_resident(self) -> bool:
        return self.role == Role.RESIDENT and not self.is_superuser

    @property
    def is_city_staff(self) -> bool:
        return self.is_superuser or self.role in STAFF_ROLES


class PhoneConfirmation(models.Model):
    """A one-time code sent to a phone; only its keyed hash is stored."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="phone_confirmations", verbose_name=_("user")
    )
    phone = models.CharField(_("phone"), max_length=20)
    code_hash = models.CharField(_("code hash"), max_length=128)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("phone confirmation")
        verbose_name_plural = _("phone confirmations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.phone} ({self.created_at:%Y-%m-%d %H:%M})"


class PersonalAccessToken(models.Model):
    """A secret a person gives their own app to act as them through the API (shown once)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="access_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for"))
    prefix = models.CharField(_("prefix"), max_length=8, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} (oc_pat_{self.prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
