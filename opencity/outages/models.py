"""Outages: the permitted interruptions (as data), the outages, their buildings and history,
and the residents who follow them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opencity.core.calendar import TimeUnit
from opencity.core.models import MunicipalModel
from opencity.organisations.models import Resource


class OutageNorm(MunicipalModel):
    """How long a resource may be off (ПП 354, прил. 1) and what an hour over costs."""

    resource = models.CharField(_("resource"), max_length=16, choices=Resource.choices)
    max_single_hours = models.DecimalField(
        _("at once, hours"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Blank: no limit on a single interruption"),
    )
    max_single_hours_emergency = models.DecimalField(
        _("at once after an accident, hours"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Blank: the same as a planned interruption"),
    )
    max_month_hours = models.DecimalField(
        _("in total per month, hours"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Blank: no monthly limit"),
    )
    reduction_percent_per_hour = models.DecimalField(
        _("charge reduction per hour over, %"), max_digits=6, decimal_places=3, default=0.15
    )
    notice_amount = models.PositiveSmallIntegerField(_("notice of a planned outage"), default=10)
    notice_unit = models.CharField(
        _("notice unit"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    source = models.CharField(_("source (regulation)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("permitted interruption")
        verbose_name_plural = _("permitted interruptions")
        ordering = ["resource"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "resource"], name="outage_norm_unique_resource"
            )
        ]

    def __str__(self) -> str:
        return str(self.get_resource_display())


class OutageKind(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("outage", "Planned")
    EMERGENCY = "emergency", pgettext_lazy("outage", "Emergency")


class AreaKind(models.TextChoices):
    BUILDINGS = "buildings", _("Chosen buildings")
    STREET = "street", _("A street")
    DISTRICT = "district", _("A district")
    POLYGON = "polygon", _("An area drawn on the map")


class OutageStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    ACTIVE = "active", _("Now")
    RESTORED = "restored", _("Restored")
    CANCELLED = "cancelled", _("Cancelled")


class Outage(MunicipalModel):
    resource = models.CharField(_("resource"), max_length=16, choices=Resource.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=OutageKind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="outages",
        verbose_name=_("responsible organisation"),
    )
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("announced by"),
    )
    start_at = models.DateTimeField(_("start"))
    planned_end_at = models.DateTimeField(_("planned end"))
    actual_end_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    area_kind = models.CharField(_("area"), max_length=10, choices=AreaKind.choices)
    area_label = models.CharField(_("area description"), max_length=300, blank=True)
    # The drawn polygon (GeoJSON, lon/lat) when the area was drawn on the map.
    area_geojson = models.JSONField(_("area on the map"), null=True, blank=True)
    buildings_count = models.PositiveIntegerField(_("buildings"), default=0)

    # Flags recomputed on every change (an outage over the limit is allowed, but flagged).
    over_limit = models.BooleanField(_("over the permitted interruption"), default=False)
    late_notice = models.BooleanField(_("announced too late"), default=False)

    created_at = models.DateTimeField(_("announced at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        ordering = ["-start_at", "-id"]
        indexes = [
            models.Index(fields=["municipality", "start_at"], name="outage_start_idx"),
            # Current and upcoming outages: not restored, not cancelled.
            models.Index(
                fields=["municipality", "start_at"],
                condition=Q(actual_end_at__isnull=True, cancelled_at__isnull=True),
                name="outage_open_idx",
            ),
            models.Index(fields=["organisation", "start_at"], name="outage_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_resource_display()}: {self.area_label or self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("outages:public_detail", args=[self.pk])

    def status_at(self, now) -> str:
        """Return the outage's status at a moment (an OutageStatus value)."""
        if self.cancelled_at is not None:
            return OutageStatus.CANCELLED
        if self.actual_end_at is not None and self.actual_end_at <= now:
            return OutageStatus.RESTORED
        if self.start_at > now:
            return OutageStatus.UPCOMING
        return OutageStatus.ACTIVE


class OutageBuilding(MunicipalModel):
    outage = models.ForeignKey(
        Outage, on_delete=models.CASCADE, related_name="affected", verbose_name=_("outage")
    )
    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("building"),
    )

    class Meta:
        verbose_name = _("affected building")
        verbose_name_plural = _("affected buildings")
        constraints = [
            models.UniqueConstraint(fields=["outage", "building"], name="outage_building_unique")
        ]
        indexes = [models.Index(fields=["building", "outage"], name="outage_building_idx")]


class OutageEventKind(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    CHANGED = "changed", _("Changed")
    RESTORED = "restored", _("Restored")
    CANCELLED = "cancelled", _("Cancelled")


class OutageEvent(MunicipalModel):
    """One immutable line of an outage's history; residents are told of it once, by the worker."""

    outage = models.ForeignKey(
        Outage, on_delete=models.CASCADE, related_name="events", verbose_name=_("outage")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=OutageEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # {field: [before, after]} as shown to people (local times, labels).
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # Machine data, e.g. the buildings no longer affected (their residents are told too).
    params = models.JSONField(default=dict, blank=True, verbose_name=_("parameters"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"))
    # Residents are told by the worker after commit; the sweep retries what is left.
    notified_at = models.DateTimeField(_("residents notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outage event")
        verbose_name_plural = _("outage events")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(notified_at__isnull=True),
                name="outage_event_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.outage_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class OutageSubscription(MunicipalModel):
    """A resident follows the outages of a building (by e-mail now; Telegram with the bot)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="outage_subscriptions",
        verbose_name=_("user"),
    )
    building = models.ForeignKey(
        "buildings.Building", on_delete=models.CASCADE, related_name="+", verbose_name=_("building")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("outage subscription")
        verbose_name_plural = _("outage subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "building"], name="outage_subscription_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.building}"


class OutageReport(MunicipalModel):
    """A resident who was about to file an appeal joined the outage instead, and follows it."""

    outage = models.ForeignKey(
        Outage, on_delete=models.CASCADE, related_name="reports", verbose_name=_("outage")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("resident's report of an outage")
        verbose_name_plural = _("residents' reports of outages")
        constraints = [
            models.UniqueConstraint(fields=["outage", "user"], name="outage_report_unique")
        ]
