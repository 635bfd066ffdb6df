"""The inspection plans: the seasons as data per municipality, and one row per inspection due.

A seasonal inspection is unique per building, kind and season year, so generating a plan twice
(the schedule, then a manager's "generate now") adds only what is missing.
"""

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opencity.core.calendar import TimeUnit
from opencity.core.models import MunicipalModel
from opencity.inspections.models.choices import InspectionKind, InspectionStatus, SeasonKind
from opencity.inspections.models.methodology import Element, Sourced


def _day(year: int, month: int, day: int) -> dt.date:
    """The date, a day past the month's end taken as its last (29 February in other years)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


class InspectionSeason(Sourced, MunicipalModel):
    """When a season's inspections are done: a window of month-days; its end is the due date.

    A window whose end comes before its start runs over the new year: it is due next year."""

    kind = models.CharField(_("season"), max_length=16, choices=SeasonKind.choices)
    start_month = models.PositiveSmallIntegerField(_("from month"))
    start_day = models.PositiveSmallIntegerField(_("from day"))
    end_month = models.PositiveSmallIntegerField(_("to month"))
    end_day = models.PositiveSmallIntegerField(_("to day"))

    class Meta:
        verbose_name = _("inspection season")
        verbose_name_plural = _("inspection seasons")
        ordering = ["start_month", "start_day"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind"], name="season_unique_kind"),
            models.CheckConstraint(
                condition=Q(
                    start_month__gte=1, start_month__lte=12, end_month__gte=1, end_month__lte=12
                )
                & Q(start_day__gte=1, start_day__lte=31, end_day__gte=1, end_day__lte=31),
                name="season_month_day",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def window(self, year: int) -> tuple[dt.date, dt.date]:
        """The season's first and last day in the season year (the end may fall in the next)."""
        start = _day(year, self.start_month, self.start_day)
        end_year = (
            year + 1
            if (self.end_month, self.end_day) < (self.start_month, self.start_day)
            else year
        )
        return start, _day(end_year, self.end_month, self.end_day)


class InspectionDeadline(Sourced, MunicipalModel):
    """How soon an inspection of a kind not planned by season is due (an extraordinary one)."""

    kind = models.CharField(_("kind"), max_length=16, choices=InspectionKind.choices)
    amount = models.PositiveSmallIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=16, choices=TimeUnit.choices)

    class Meta:
        verbose_name = _("inspection deadline")
        verbose_name_plural = _("inspection deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind"], name="inspection_deadline_unique_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} {self.get_unit_display()}"


class Inspection(MunicipalModel):
    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("building"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("management company"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InspectionKind.choices)
    season_year = models.PositiveSmallIntegerField(_("season year"), null=True, blank=True)
    element = models.ForeignKey(
        Element,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("element (a partial inspection)"),
    )
    due_date = models.DateField(_("due date"))
    # The moment, for an inspection due within hours or working days (an extraordinary one).
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspector"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The overdue sweep: marked once past due (the managers told), escalated once later (the
    # city told); a second run changes nothing.
    overdue_at = models.DateTimeField(_("overdue since"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalate_at = models.DateTimeField(_("escalate at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["municipality", "organisation", "status", "due_date"]),
            models.Index(
                fields=["due_date"],
                condition=Q(overdue_at__isnull=True, status__in=["planned", "assigned"]),
                name="inspection_overdue_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "kind", "season_year"],
                condition=Q(kind__in=[InspectionKind.SPRING, InspectionKind.AUTUMN]),
                name="inspection_one_per_season",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[InspectionKind.SPRING, InspectionKind.AUTUMN])
                | Q(season_year__isnull=False),
                name="inspection_season_has_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.building} {self.due_date:%d.%m.%Y}"
