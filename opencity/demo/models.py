"""The demo city's history (its year of appeals) loads after the city itself: its progress."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opencity.core.models import MunicipalModel


class DemoHistory(MunicipalModel):
    """The appeals of a demo municipality still to be written, and how far the writing got.

    The generator writes one day at a time, each in its own transaction with this row, so a
    stopped load resumes where it stopped and gives the same rows as one uninterrupted run:
    `state` keeps the generator's random state after the last day written.
    """

    seed = models.IntegerField(_("seed"))
    until = models.DateTimeField(_("history ends at"))
    days = models.PositiveIntegerField(_("days of history"))
    days_done = models.PositiveIntegerField(_("days written"), default=0)
    appeals = models.PositiveIntegerField(_("appeals written"), default=0)
    events = models.PositiveIntegerField(_("events written"), default=0)
    open_appeals = models.PositiveIntegerField(_("open appeals written"), default=0)
    state = models.JSONField(_("generator state"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("demo city history")
        verbose_name_plural = _("demo city histories")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="demo_history_one_per_city")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.days_done}/{self.days}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None
