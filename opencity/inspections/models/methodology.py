"""The wear methodology as data: one row per version, and under it the elements with their
bands, signs and works, the building types with their cost shares, and the grades.

A version is edited while it is a draft and frozen once in force: acts will point at the version
they used (on_delete=PROTECT), so a new version never changes a signed act.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opencity.buildings.models import WallMaterial
from opencity.core.models import MunicipalModel
from opencity.inspections.models.choices import ElementKind, MethodologyStatus, Scale, SourceStatus


class Sourced(models.Model):
    """Every row of the methodology says where it comes from and how sure that is."""

    source = models.CharField(_("source"), max_length=500)
    source_status = models.CharField(
        _("source status"),
        max_length=16,
        choices=SourceStatus.choices,
        default=SourceStatus.CONFIRMED,
    )

    class Meta:
        abstract = True


class Methodology(Sourced, MunicipalModel):
    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MethodologyStatus.choices,
        default=MethodologyStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    notes = models.TextField(_("what changed"), blank=True)
    part_rounding = models.PositiveSmallIntegerField(_("rounding of parts, %"), default=10)
    element_rounding = models.PositiveSmallIntegerField(_("rounding of elements, %"), default=5)
    building_rounding = models.PositiveSmallIntegerField(
        _("rounding of the building, %"), default=1
    )
    rounding_source = models.CharField(_("source of the rounding"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("wear methodology")
        verbose_name_plural = _("wear methodologies")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code", "version"], name="methodology_unique_version"
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"],
                condition=Q(status="published"),
                name="methodology_one_in_force",
            ),
            models.CheckConstraint(
                condition=Q(
                    part_rounding__gte=1, element_rounding__gte=1, building_rounding__gte=1
                ),
                name="methodology_rounding_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.status != MethodologyStatus.DRAFT


class Element(Sourced, MunicipalModel):
    methodology = models.ForeignKey(
        Methodology,
        on_delete=models.CASCADE,
        related_name="elements",
        verbose_name=_("methodology"),
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ElementKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("building element")
        verbose_name_plural = _("building elements")
        ordering = ["methodology_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["methodology", "code"], name="element_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class WearBand(Sourced, MunicipalModel):
    element = models.ForeignKey(
        Element, on_delete=models.CASCADE, related_name="bands", verbose_name=_("element")
    )
    lower = models.PositiveSmallIntegerField(_("wear from, %"))
    upper = models.PositiveSmallIntegerField(_("wear to, %"))
    works = models.TextField(_("typical works"), blank=True)

    class Meta:
        verbose_name = _("wear band")
        verbose_name_plural = _("wear bands")
        ordering = ["element_id", "lower"]
        constraints = [
            models.UniqueConstraint(fields=["element", "lower"], name="band_unique_lower"),
            models.CheckConstraint(
                condition=Q(lower__lte=models.F("upper"), upper__lte=100), name="band_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element}: {self.lower}–{self.upper} %"


class DamageSign(MunicipalModel):
    band = models.ForeignKey(
        WearBand, on_delete=models.CASCADE, related_name="signs", verbose_name=_("wear band")
    )
    code = models.SlugField(_("code"), max_length=64)
    text = models.CharField(_("sign of damage"), max_length=500)
    measure = models.CharField(_("quantitative assessment"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sign of damage")
        verbose_name_plural = _("signs of damage")
        ordering = ["band_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["band", "code"], name="sign_unique_code"),
        ]

    def __str__(self) -> str:
        return self.text


class BuildingType(Sourced, MunicipalModel):
    """A type of building (wall material × storeys) with its shares of replacement cost."""

    methodology = models.ForeignKey(
        Methodology,
        on_delete=models.CASCADE,
        related_name="building_types",
        verbose_name=_("methodology"),
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    wall_material = models.CharField(
        _("wall material"), max_length=16, choices=WallMaterial.choices, blank=True
    )
    storeys_min = models.PositiveSmallIntegerField(_("storeys from"), default=1)
    storeys_max = models.PositiveSmallIntegerField(_("storeys to"), null=True, blank=True)

    class Meta:
        verbose_name = _("building type")
        verbose_name_plural = _("building types")
        ordering = ["methodology_id", "wall_material", "storeys_min"]
        constraints = [
            models.UniqueConstraint(
                fields=["methodology", "code"], name="building_type_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CostShare(Sourced, MunicipalModel):
    """An item of replacement cost (li, %) of a building type, covering one or more elements."""

    building_type = models.ForeignKey(
        BuildingType,
        on_delete=models.CASCADE,
        related_name="shares",
        verbose_name=_("building type"),
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    percent = models.DecimalField(_("share of replacement cost, %"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    elements = models.ManyToManyField(
        Element, through="CostShareElement", related_name="+", verbose_name=_("elements")
    )

    class Meta:
        verbose_name = _("share of replacement cost")
        verbose_name_plural = _("shares of replacement cost")
        ordering = ["building_type_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["building_type", "code"], name="share_unique_code"),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100), name="share_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.percent} %"


class CostShareElement(MunicipalModel):
    """An element inside a cost item, with its weight in the item's mean wear."""

    share = models.ForeignKey(
        CostShare,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("share of replacement cost"),
    )
    element = models.ForeignKey(
        Element, on_delete=models.CASCADE, related_name="share_members", verbose_name=_("element")
    )
    weight = models.DecimalField(
        _("weight inside the share"), max_digits=6, decimal_places=2, default=1
    )

    class Meta:
        verbose_name = _("element of a share")
        verbose_name_plural = _("elements of a share")
        constraints = [
            models.UniqueConstraint(fields=["share", "element"], name="share_element_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="share_element_weight"),
        ]

    def __str__(self) -> str:
        return str(self.element)


class WearGrade(Sourced, MunicipalModel):
    """A grade of one scale: a condition or a capital-repair class by building wear, or a
    ГОСТ 31937 technical-condition category (assessed, not read from wear: no range)."""

    methodology = models.ForeignKey(
        Methodology, on_delete=models.CASCADE, related_name="grades", verbose_name=_("methodology")
    )
    scale = models.CharField(_("scale"), max_length=16, choices=Scale.choices)
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    lower = models.PositiveSmallIntegerField(_("wear from, %"), null=True, blank=True)
    upper = models.PositiveSmallIntegerField(_("wear to, %"), null=True, blank=True)
    meaning = models.CharField(_("what it means"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["methodology_id", "scale", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["methodology", "scale", "code"], name="grade_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(lower__isnull=True, upper__isnull=True)
                | Q(lower__lte=models.F("upper"), upper__lte=100),
                name="grade_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name
