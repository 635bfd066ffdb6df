"""What follows a signed act: the management company's work items (from its defects and works,
an urgent one linked to the appeal it became), the next inspection's check of them, the
building's wear history, the recompute runs after a methodology change, which appeal category
an urgent defect of an element files under, and the audit trail.

See docs/subsystems/inspections.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opencity.buildings.models import TechnicalState
from opencity.core.models import MunicipalModel
from opencity.inspections.models.acts import WEAR, Act, Defect, WorkNeeded
from opencity.inspections.models.choices import (
    InspectionEventKind,
    WearRecordSource,
    WorkItemStatus,
    WorkKind,
)
from opencity.inspections.models.methodology import Element, Methodology, Sourced
from opencity.inspections.models.plans import Inspection


class WorkItem(MunicipalModel):
    """A planned work of the management company from a signed act; its key is the defect's or
    the work's, so a correction of the act updates the item instead of adding another."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("management company"),
    )
    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.PROTECT,
        related_name="inspection_work_items",
        verbose_name=_("building"),
    )
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="work_items",
        verbose_name=_("inspection"),
    )
    # The signed version it comes from (a correction moves it to the new version).
    act = models.ForeignKey(
        Act, on_delete=models.PROTECT, related_name="work_items", verbose_name=_("act")
    )
    key = models.UUIDField(_("key"))
    defect = models.ForeignKey(
        Defect,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_items",
        verbose_name=_("defect"),
    )
    work = models.ForeignKey(
        WorkNeeded,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_items",
        verbose_name=_("work needed"),
    )
    element = models.ForeignKey(
        Element,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("element"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=WorkKind.choices)
    description = models.TextField(_("work"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # The appeal's own deadline when an urgent defect became one.
    deadline_at = models.DateTimeField(_("deadline (moment)"), null=True, blank=True)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appeal"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=WorkItemStatus.choices, default=WorkItemStatus.PLANNED
    )
    status_note = models.CharField(_("note"), max_length=1000, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    # The act of a later inspection that checked it on site.
    checked_in = models.ForeignKey(
        Act,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in the act"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["municipality", "organisation", "status", "deadline"]),
            models.Index(fields=["building", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "key"], name="work_item_unique_key"),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class ActWorkCheck(MunicipalModel):
    """The inspector's finding on a work item of an earlier act: done or not done. Part of the
    act (frozen with it); applied to the item when the act is signed."""

    act = models.ForeignKey(
        Act, on_delete=models.CASCADE, related_name="work_checks", verbose_name=_("act")
    )
    work_item = models.ForeignKey(
        WorkItem, on_delete=models.PROTECT, related_name="checks", verbose_name=_("work item")
    )
    status = models.CharField(
        _("found"),
        max_length=16,
        choices=[(WorkItemStatus.DONE, _("Done")), (WorkItemStatus.NOT_DONE, _("Not done"))],
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("check of a work item")
        verbose_name_plural = _("checks of work items")
        ordering = ["act_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["act", "work_item"], name="act_work_check_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.work_item}: {self.get_status_display()}"


class WearRecompute(MunicipalModel):
    """One run recomputing every building's wear under a methodology version: signed acts stay
    as they are, the new figures are history rows of this run."""

    methodology = models.ForeignKey(
        Methodology, on_delete=models.PROTECT, related_name="+", verbose_name=_("methodology")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    buildings = models.PositiveIntegerField(_("buildings with a signed act"), default=0)
    computed = models.PositiveIntegerField(_("buildings computed"), default=0)
    skipped = models.PositiveIntegerField(_("buildings not computable"), default=0)

    class Meta:
        verbose_name = _("wear recompute")
        verbose_name_plural = _("wear recomputes")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.methodology} {self.started_at:%Y-%m-%d %H:%M}"


class BuildingWearRecord(MunicipalModel):
    """One row of a building's wear, condition and technical-state history: from a signed act,
    or a figure recomputed under a newer methodology version."""

    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.CASCADE,
        related_name="wear_records",
        verbose_name=_("building"),
    )
    source = models.CharField(_("source"), max_length=16, choices=WearRecordSource.choices)
    act = models.ForeignKey(
        Act,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wear_records",
        verbose_name=_("act"),
    )
    recompute = models.ForeignKey(
        WearRecompute,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("recompute"),
    )
    methodology = models.ForeignKey(
        Methodology, on_delete=models.PROTECT, related_name="+", verbose_name=_("methodology")
    )
    wear = models.DecimalField(_("building wear, %"), null=True, blank=True, **WEAR)
    condition = models.CharField(_("condition"), max_length=64, blank=True)
    repair_class = models.CharField(_("capital-repair class"), max_length=64, blank=True)
    technical_state = models.CharField(
        _("technical condition (ГОСТ 31937)"),
        max_length=16,
        choices=TechnicalState.choices,
        blank=True,
    )
    assessed_on = models.DateField(_("assessed on"))
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("wear record")
        verbose_name_plural = _("wear history")
        ordering = ["building_id", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["municipality", "building", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="act", act__isnull=False)
                | Q(source="recomputed", recompute__isnull=False),
                name="wear_record_origin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.assessed_on}: {self.wear}"


class DefectAppealRule(Sourced, MunicipalModel):
    """Which appeal category an urgent defect of an element is filed under (by element code,
    which stays the same across methodology versions; a blank code is the fallback)."""

    element_code = models.SlugField(_("element code"), max_length=64, blank=True)
    category = models.ForeignKey(
        "appeals.Category",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("appeal category"),
    )
    # Answers to the category's required questions an inspection cannot ask a resident.
    answers = models.JSONField(_("answers to the category's questions"), default=dict, blank=True)

    class Meta:
        verbose_name = _("appeal category of urgent defects")
        verbose_name_plural = _("appeal categories of urgent defects")
        ordering = ["element_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "element_code"], name="defect_appeal_rule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element_code or '*'} → {self.category}"


class InspectionEvent(MunicipalModel):
    """One immutable line of an inspection's audit trail: who did what to its act, when."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="events", verbose_name=_("inspection")
    )
    act = models.ForeignKey(
        Act,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("act"),
    )
    work_item = models.ForeignKey(
        WorkItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("work item"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=InspectionEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("inspection event")
        verbose_name_plural = _("inspection events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
