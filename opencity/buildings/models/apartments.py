"""Inside a building: its entrances and apartments, the apartments' personal accounts and the
residents who linked them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opencity.buildings.models.building import Building
from opencity.core.models import MunicipalModel


class Entrance(MunicipalModel):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="entrances")
    number = models.PositiveSmallIntegerField(_("number"))
    floors = models.PositiveSmallIntegerField(_("storeys"), null=True, blank=True)
    has_lift = models.BooleanField(_("lift"), default=False)

    class Meta:
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        ordering = ["building_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="entrance_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.building}, {_('entrance')} {self.number}"


class Apartment(MunicipalModel):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="apartments")
    entrance = models.ForeignKey(
        Entrance, on_delete=models.SET_NULL, null=True, blank=True, related_name="apartments"
    )
    number = models.CharField(_("number"), max_length=16)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    area = models.DecimalField(_("area, m²"), max_digits=8, decimal_places=2, null=True, blank=True)
    living_area = models.DecimalField(
        _("living area, m²"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    rooms = models.PositiveSmallIntegerField(_("rooms"), null=True, blank=True)
    is_residential = models.BooleanField(_("residential"), default=True)

    class Meta:
        verbose_name = _("apartment")
        verbose_name_plural = _("apartments")
        ordering = ["building_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="apartment_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.building}, {_('apt.')} {self.number}"


class PersonalAccount(MunicipalModel):
    """A billing account of an apartment (лицевой счёт), maybe per provider."""

    apartment = models.ForeignKey(Apartment, on_delete=models.CASCADE, related_name="accounts")
    number = models.CharField(_("account number"), max_length=32)
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("personal account")
        verbose_name_plural = _("personal accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], name="account_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class AccountHolder(MunicipalModel):
    """A resident who linked a personal account to their profile: their home on the platform."""

    account = models.ForeignKey(
        PersonalAccount,
        on_delete=models.CASCADE,
        related_name="holders",
        verbose_name=_("personal account"),
    )
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="account_holdings",
        verbose_name=_("resident"),
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account holder")
        verbose_name_plural = _("account holders")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "user"], name="account_holder_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.account}"
