"""The analytics' tables: one fact per appeal and the rollups summed from the facts.

A fact is what one appeal contributes to the rollups now (its filing day, its dimensions, its
outcome flags). The worker recomputes the fact of an appeal when one of its events is written
and adds the difference to the rollups, so a fact counted twice is impossible: recomputing an
unchanged appeal changes nothing. Dimensions are plain integers (0: none) so a rollup key is
unique on both databases (NULLs never collide in a unique index).

See docs/subsystems/analytics.md.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opencity.core.models import MunicipalModel

# Counters every rollup row sums (a subset of `filed`, so a row with filed = 0 is all zero).
DAILY_COUNTERS = (
    "filed",
    "merged",
    "cancelled",
    "done",
    "closed",
    "confirmed",
    "reopened",
    "overdue",
    "ttr_count",
    "ttr_sum",
)
CELL_COUNTERS = ("filed", "done", "overdue")


class AppealFact(MunicipalModel):
    """What one appeal adds to the rollups (counted=False: a placeholder adding nothing)."""

    appeal_id = models.BigIntegerField(primary_key=True)
    counted = models.BooleanField(default=False)
    day = models.DateField(null=True)
    district_id = models.PositiveIntegerField(default=0)
    category_id = models.PositiveIntegerField(default=0)
    organisation_id = models.PositiveIntegerField(default=0)
    channel = models.CharField(max_length=10, blank=True)
    cell = models.CharField(max_length=16, blank=True)
    merged = models.BooleanField(default=False)
    cancelled = models.BooleanField(default=False)
    done = models.BooleanField(default=False)
    closed = models.BooleanField(default=False)
    confirmed = models.BooleanField(default=False)
    reopened = models.BooleanField(default=False)
    overdue = models.BooleanField(default=False)
    # Seconds from registration to the (latest) resolution; null while unresolved.
    ttr = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("appeal fact")
        verbose_name_plural = _("appeal facts")
        indexes = [models.Index(fields=["municipality", "day"], name="analytics_fact_day_idx")]


class _Dimensions(MunicipalModel):
    day = models.DateField()
    district_id = models.PositiveIntegerField(default=0)
    category_id = models.PositiveIntegerField(default=0)
    organisation_id = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class AppealDaily(_Dimensions):
    """The appeals filed on one day in one district, category, organisation and channel."""

    channel = models.CharField(max_length=10)
    filed = models.IntegerField(default=0)
    merged = models.IntegerField(default=0)
    cancelled = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    confirmed = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    ttr_count = models.IntegerField(default=0)
    ttr_sum = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("appeals per day")
        verbose_name_plural = _("appeals per day")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "municipality",
                    "day",
                    "district_id",
                    "category_id",
                    "organisation_id",
                    "channel",
                ],
                name="analytics_daily_key",
            )
        ]


class AppealResolution(_Dimensions):
    """How many of a day's appeals were resolved within one band of time (for the median)."""

    bucket = models.PositiveSmallIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("resolution times")
        verbose_name_plural = _("resolution times")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "municipality",
                    "day",
                    "district_id",
                    "category_id",
                    "organisation_id",
                    "bucket",
                ],
                name="analytics_resolution_key",
            )
        ]


class AppealCellDaily(_Dimensions):
    """The appeals filed on one day in one H3 cell (and district, category, organisation)."""

    cell = models.CharField(max_length=16)
    filed = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("appeals per cell and day")
        verbose_name_plural = _("appeals per cell and day")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "municipality",
                    "day",
                    "cell",
                    "district_id",
                    "category_id",
                    "organisation_id",
                ],
                name="analytics_cell_key",
            )
        ]


class FeedCursor(models.Model):
    """How far the sweep has read the appeals' events (a safety net for lost nudges)."""

    name = models.CharField(max_length=32, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M}"
