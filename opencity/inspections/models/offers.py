"""An extraordinary inspection offered to a building's manager after an accident: an emergency
appeal or an emergency outage on the building. The manager accepts it (the inspection is planned,
due within the municipality's deadline from the accident) or declines it with a reason.

See docs/subsystems/inspections.md, "Extraordinary inspections".
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opencity.core.models import MunicipalModel
from opencity.inspections.models.plans import Inspection


class OfferSource(models.TextChoices):
    APPEAL = "appeal", _("An emergency appeal")
    OUTAGE = "outage", _("An emergency outage")


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class InspectionOffer(MunicipalModel):
    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("building"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("management company"),
    )
    source = models.CharField(_("after"), max_length=8, choices=OfferSource.choices)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appeal"),
    )
    outage = models.ForeignKey(
        "outages.Outage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("outage"),
    )
    reason = models.CharField(_("what happened"), max_length=500)
    accident_at = models.DateTimeField(_("accident at"))
    # Within the municipality's deadline for extraordinary inspections, from the accident.
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(
        _("status"), max_length=8, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.CharField(_("why declined"), max_length=500, blank=True)
    inspection = models.OneToOneField(
        Inspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offer",
        verbose_name=_("inspection"),
    )
    created_at = models.DateTimeField(_("offered at"))

    class Meta:
        verbose_name = _("extraordinary inspection offer")
        verbose_name_plural = _("extraordinary inspection offers")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["municipality", "organisation", "status", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "appeal"],
                condition=Q(appeal__isnull=False),
                name="inspection_offer_one_per_appeal",
            ),
            models.UniqueConstraint(
                fields=["building", "outage"],
                condition=Q(outage__isnull=False),
                name="inspection_offer_one_per_outage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.building}"
