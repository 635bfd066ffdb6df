"""The act of an inspection: the methodology version it used, its commission, per element the
parts with their signs and the wear, the defects with their photos, the works needed.

An act is a draft while the commission fills it and frozen once the chair signs it. A correction
is a new version of the same inspection's act (``corrects`` → the version it replaces, with its
reason); the replaced version stays as it was, superseded. Defects and works carry a ``key``
that stays the same across versions, so the company's work items follow a correction instead of
doubling. See docs/subsystems/inspections.md.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opencity.buildings.models import TechnicalState
from opencity.core.models import MunicipalModel
from opencity.inspections.models.choices import (
    ActStatus,
    CommissionRole,
    DefectPlace,
    DefectUrgency,
    FacadeSide,
    SizeUnit,
    WorkKind,
)
from opencity.inspections.models.methodology import (
    BuildingType,
    DamageSign,
    Element,
    Methodology,
)
from opencity.inspections.models.plans import Inspection

WEAR = {"max_digits": 5, "decimal_places": 2}


class Act(MunicipalModel):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="acts", verbose_name=_("inspection")
    )
    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.PROTECT,
        related_name="inspection_acts",
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
    methodology = models.ForeignKey(
        Methodology, on_delete=models.PROTECT, related_name="acts", verbose_name=_("methodology")
    )
    building_type = models.ForeignKey(
        BuildingType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building type"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects the version"),
    )
    correction_reason = models.CharField(
        _("reason for the correction"), max_length=1000, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ActStatus.choices, default=ActStatus.DRAFT
    )
    inspected_on = models.DateField(_("inspected on"))
    # Section I as it stood when the act began (the passport may change later).
    passport = models.JSONField(_("passport summary"), default=dict, blank=True)
    previous_act = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous signed act"),
    )
    # The building's result, computed by calculation.py at signing (null while a draft, or when
    # a partial inspection leaves shares uncovered).
    wear = models.DecimalField(_("building wear, %"), null=True, blank=True, **WEAR)
    condition = models.CharField(_("condition"), max_length=64, blank=True)
    repair_class = models.CharField(_("capital-repair class"), max_length=64, blank=True)
    technical_state = models.CharField(
        _("technical condition (ГОСТ 31937)"),
        max_length=16,
        choices=TechnicalState.choices,
        blank=True,
    )
    derivation = models.JSONField(_("derivation"), default=list, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    notes = models.TextField(_("internal notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection act")
        verbose_name_plural = _("inspection acts")
        ordering = ["-inspected_on", "-version", "-id"]
        indexes = [
            models.Index(fields=["municipality", "building", "status", "inspected_on"]),
            models.Index(fields=["municipality", "organisation", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "version"], name="act_unique_version"),
            models.UniqueConstraint(
                fields=["inspection"], condition=Q(status="draft"), name="act_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_at__isnull=False),
                name="act_signed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="act_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.inspected_on:%d.%m.%Y} v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.status != ActStatus.DRAFT


class ActMember(MunicipalModel):
    """A member of the commission: a user of the company or a person named (a resident, a
    contractor); the chair, who signs, is a user."""

    act = models.ForeignKey(
        Act, on_delete=models.CASCADE, related_name="members", verbose_name=_("act")
    )
    role = models.CharField(
        _("role"), max_length=16, choices=CommissionRole.choices, default=CommissionRole.MEMBER
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["act_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["act"], condition=Q(role="chair"), name="act_member_one_chair"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="act_member_who"
            ),
            models.CheckConstraint(
                condition=~Q(role="chair") | Q(user__isnull=False), name="act_member_chair_user"
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.user)


class ActElement(MunicipalModel):
    """One element as the commission found it: its description (section II), its wear as
    calculated from its parts, and an override with its reason."""

    act = models.ForeignKey(
        Act, on_delete=models.CASCADE, related_name="elements", verbose_name=_("act")
    )
    element = models.ForeignKey(
        Element, on_delete=models.PROTECT, related_name="+", verbose_name=_("element")
    )
    description = models.CharField(_("material and design"), max_length=500, blank=True)
    calculated = models.DecimalField(_("calculated wear, %"), null=True, blank=True, **WEAR)
    override = models.DecimalField(
        _("wear set by the commission, %"), null=True, blank=True, **WEAR
    )
    override_reason = models.CharField(_("reason for the override"), max_length=1000, blank=True)
    wear = models.DecimalField(_("wear, %"), null=True, blank=True, **WEAR)
    derivation = models.JSONField(_("derivation"), default=list, blank=True)
    notes = models.TextField(_("condition"), blank=True)

    class Meta:
        verbose_name = _("element of an act")
        verbose_name_plural = _("elements of an act")
        ordering = ["act_id", "element__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["act", "element"], name="act_element_unique"),
            models.CheckConstraint(
                condition=Q(override__isnull=True) | ~Q(override_reason=""),
                name="act_element_override_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.element)


class ActPart(MunicipalModel):
    """A part of an element in one condition: its size (Pi), the signs ticked in it, or its wear
    estimated directly while the methodology's band has no signs."""

    act_element = models.ForeignKey(
        ActElement, on_delete=models.CASCADE, related_name="parts", verbose_name=_("element")
    )
    label = models.CharField(_("part"), max_length=200, blank=True)
    size = models.DecimalField(_("size"), max_digits=12, decimal_places=3, default=1)
    wear = models.DecimalField(_("wear estimated, %"), null=True, blank=True, **WEAR)
    signs = models.ManyToManyField(
        DamageSign, blank=True, related_name="+", verbose_name=_("signs of damage")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("part of an element")
        verbose_name_plural = _("parts of an element")
        ordering = ["act_element_id", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="act_part_size_positive"),
        ]

    def __str__(self) -> str:
        return self.label or str(self.order + 1)


class Defect(MunicipalModel):
    act = models.ForeignKey(
        Act, on_delete=models.CASCADE, related_name="defects", verbose_name=_("act")
    )
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    element = models.ForeignKey(
        Element, on_delete=models.PROTECT, related_name="+", verbose_name=_("element")
    )
    place = models.CharField(_("place"), max_length=16, choices=DefectPlace.choices)
    entrance_number = models.PositiveSmallIntegerField(_("entrance"), null=True, blank=True)
    floor = models.SmallIntegerField(_("storey"), null=True, blank=True)
    apartment_number = models.CharField(_("apartment"), max_length=16, blank=True)
    facade_side = models.CharField(
        _("facade side"), max_length=16, choices=FacadeSide.choices, blank=True
    )
    description = models.TextField(_("description"))
    size = models.DecimalField(_("size"), max_digits=12, decimal_places=2, null=True, blank=True)
    size_unit = models.CharField(_("unit"), max_length=8, choices=SizeUnit.choices, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=DefectUrgency.choices, default=DefectUrgency.NORMAL
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("defect")
        verbose_name_plural = _("defects")
        ordering = ["act_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["act", "key"], name="defect_unique_key"),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class DefectPhoto(MunicipalModel):
    """A photo of a defect, stored privately; a correction's defect points at the same file."""

    defect = models.ForeignKey(
        Defect, on_delete=models.CASCADE, related_name="photos", verbose_name=_("defect")
    )
    # The client's key of the photo (a UUID made on the phone, offline): a retried upload
    # stores it once. Photos sent without one have none.
    key = models.UUIDField(_("key"), null=True, blank=True, editable=False)
    file = models.FileField(_("file"), upload_to="inspections/defects/%Y/%m/", max_length=300)
    content_type = models.CharField(_("content type"), max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("photo of a defect")
        verbose_name_plural = _("photos of defects")
        ordering = ["defect_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["defect", "key"], name="defect_photo_unique_key"),
        ]

    def __str__(self) -> str:
        return self.file.name


class WorkNeeded(MunicipalModel):
    """A work the act calls for, with its kind and deadline; it becomes the company's work item
    when the act is signed."""

    act = models.ForeignKey(
        Act, on_delete=models.CASCADE, related_name="works", verbose_name=_("act")
    )
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    defect = models.ForeignKey(
        Defect,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="works",
        verbose_name=_("defect"),
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
    deadline = models.DateField(_("deadline"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("work needed")
        verbose_name_plural = _("works needed")
        ordering = ["act_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["act", "key"], name="work_needed_unique_key"),
        ]

    def __str__(self) -> str:
        return self.description[:80]
