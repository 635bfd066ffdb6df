"""Organisations that answer appeals: what they are, who works there, what they serve."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opencity.core.models import District, MunicipalModel


class OrganisationKind(models.TextChoices):
    MANAGEMENT_COMPANY = "management_company", _("Management company")
    HOMEOWNERS_ASSOCIATION = "hoa", _("Homeowners' association")
    UTILITY = "utility", _("Utility provider")
    CONTRACTOR = "contractor", _("Contractor")
    DISTRICT_ADMINISTRATION = "district_admin", _("District administration")
    CITY_DEPARTMENT = "city_department", _("City department")
    EMERGENCY_DISPATCH = "emergency_dispatch", _("Emergency dispatch")


# Kinds that manage apartment buildings under contract.
BUILDING_MANAGER_KINDS = (
    OrganisationKind.MANAGEMENT_COMPANY,
    OrganisationKind.HOMEOWNERS_ASSOCIATION,
)


class Resource(models.TextChoices):
    COLD_WATER = "cold_water", _("Cold water")
    HOT_WATER = "hot_water", _("Hot water")
    HEATING = "heating", _("Heating")
    ELECTRICITY = "electricity", _("Electricity")
    GAS = "gas", _("Gas")
    SEWAGE = "sewage", _("Sewage")


class DepartmentArea(models.TextChoices):
    ROADS = "roads", _("Roads")
    LANDSCAPING = "landscaping", _("Landscaping")
    TRANSPORT = "transport", _("Public transport")
    WASTE = "waste", _("Waste")
    LIGHTING = "lighting", _("Street lighting")


class Organisation(MunicipalModel):
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    inn = models.CharField(_("INN (tax id)"), max_length=12, blank=True)
    ogrn = models.CharField(_("OGRN"), max_length=15, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # Utility providers: the resources they supply (values of Resource).
    resources = models.JSONField(_("resources supplied"), default=list, blank=True)
    department_area = models.CharField(
        _("department area"), max_length=16, choices=DepartmentArea.choices, blank=True
    )
    # District administrations: the district they govern.
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["municipality", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "external_id"],
                condition=~Q(external_id=""),
                name="organisation_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMERGENCY_PHONE = "emergency_phone", _("Emergency phone")
    EMAIL = "email", _("E-mail")
    ADDRESS = "address", _("Office address")
    HOURS = "hours", _("Opening hours")
    OTHER = "other", _("Other")


class OrganisationContact(MunicipalModel):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    value = models.CharField(_("value"), max_length=300)
    label = models.CharField(_("label"), max_length=120, blank=True)
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["organisation_id", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class MembershipRole(models.TextChoices):
    MANAGER = "manager", _("Manager")
    EXECUTOR = "executor", _("Executor")


class Membership(MunicipalModel):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices)
    position = models.CharField(_("position"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class ManagementContract(MunicipalModel):
    """A building managed by an organisation from start_date until end_date (open-ended if null)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("organisation"),
    )
    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.CASCADE,
        related_name="management_contracts",
        verbose_name=_("building"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    document = models.CharField(_("contract document"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("management contract")
        verbose_name_plural = _("management contracts")
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["building", "start_date"])]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.building} ({self.start_date}–{self.end_date or '…'})"


class ServiceArea(MunicipalModel):
    """A territory an organisation serves: a whole district or a drawn polygon, maybe for one resource."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="service_areas",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    resource = models.CharField(_("resource"), max_length=16, choices=Resource.choices, blank=True)

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.name or str(self.district or self.organisation)


class ApiKey(MunicipalModel):
    """A secret an organisation's system uses for the API and Open311 (shown once, revocable).

    The key acts through its own service account: a user who is a member of the organisation
    with the key's role, so the appeals' permissions apply to it exactly as to a person.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("organisation"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_key",
        verbose_name=_("service account"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses the key"))
    role = models.CharField(_("acts as"), max_length=16, choices=MembershipRole.choices)
    prefix = models.CharField(_("prefix"), max_length=8, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} (oc_key_{self.prefix}…)"
