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

    appeal_id = models.BigIntegerField(primary_key=True, verbose_name=_("appeal"))
    counted = models.BooleanField(default=False, verbose_name=_("counted"))
    day = models.DateField(null=True, verbose_name=_("day"))
    district_id = models.PositiveIntegerField(default=0, verbose_name=_("district"))
    category_id = models.PositiveIntegerField(default=0, verbose_name=_("category"))
    organisation_id = models.PositiveIntegerField(default=0, verbose_name=_("organisation"))
    channel = models.CharField(max_length=10, blank=True, verbose_name=_("channel"))
    cell = models.CharField(max_length=16, blank=True, verbose_name=_("H3 cell"))
    merged = models.BooleanField(default=False, verbose_name=_("merged"))
    cancelled = models.BooleanField(default=False, verbose_name=_("cancelled"))
    done = models.BooleanField(default=False, verbose_name=_("done"))
    closed = models.BooleanField(default=False, verbose_name=_("closed"))
    confirmed = models.BooleanField(default=False, verbose_name=_("confirmed by the resident"))
    reopened = models.BooleanField(default=False, verbose_name=_("reopened"))
    overdue = models.BooleanField(default=False, verbose_name=_("overdue"))
    # Seconds from registration to the (latest) resolution; null while unresolved.
    ttr = models.BigIntegerField(null=True, verbose_name=_("time to resolution, s"))

    class Meta:
        verbose_name = _("appeal fact")
        verbose_name_plural = _("appeal facts")
        indexes = [models.Index(fields=["municipality", "day"], name="analytics_fact_day_idx")]


class _Dimensions(MunicipalModel):
    day = models.DateField(verbose_name=_("day"))
    district_id = models.PositiveIntegerField(default=0, verbose_name=_("district"))
    category_id = models.PositiveIntegerField(default=0, verbose_name=_("category"))
    organisation_id = models.PositiveIntegerField(default=0, verbose_name=_("organisation"))

    class Meta:
        abstract = True


class AppealDaily(_Dimensions):
    """The appeals filed on one day in one district, category, organisation and channel."""

    channel = models.CharField(max_length=10, verbose_name=_("channel"))
    filed = models.IntegerField(default=0, verbose_name=_("filed"))
    merged = models.IntegerField(default=0, verbose_name=_("merged"))
    cancelled = models.IntegerField(default=0, verbose_name=_("cancelled"))
    done = models.IntegerField(default=0, verbose_name=_("done"))
    closed = models.IntegerField(default=0, verbose_name=_("closed"))
    confirmed = models.IntegerField(default=0, verbose_name=_("confirmed by the resident"))
    reopened = models.IntegerField(default=0, verbose_name=_("reopened"))
    overdue = models.IntegerField(default=0, verbose_name=_("overdue"))
    ttr_count = models.IntegerField(default=0, verbose_name=_("resolutions timed"))
    ttr_sum = models.BigIntegerField(default=0, verbose_name=_("total time to resolution, s"))

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

    bucket = models.PositiveSmallIntegerField(verbose_name=_("band of time"))
    count = models.IntegerField(default=0, verbose_name=_("count"))

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

    cell = models.CharField(max_length=16, verbose_name=_("H3 cell"))
    filed = models.IntegerField(default=0, verbose_name=_("filed"))
    done = models.IntegerField(default=0, verbose_name=_("done"))
    overdue = models.IntegerField(default=0, verbose_name=_("overdue"))

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

    name = models.CharField(max_length=32, primary_key=True, verbose_name=_("name"))
    at = models.DateTimeField(verbose_name=_("read up to"))

    class Meta:
        verbose_name = _("feed cursor")
        verbose_name_plural = _("feed cursors")

    def __str__(self) -> str:
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M}"
