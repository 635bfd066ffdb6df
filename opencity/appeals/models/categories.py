"""Categories of problems and their rules as data: deadlines and extra questions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opencity.appeals.models.choices import Priority, QuestionType, ResponsibleKind, Stage
from opencity.core.calendar import TimeUnit
from opencity.core.models import MunicipalModel
from opencity.organisations.models import DepartmentArea, OrganisationKind, Resource


class Category(MunicipalModel):
    """A kind of problem residents report (an Open311 service), with its routing and deadlines."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    code = models.SlugField(
        _("code"), max_length=64, help_text=_("Stable identifier (Open311 service_code)")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    responsible_kind = models.CharField(
        _("who is responsible"),
        max_length=20,
        choices=ResponsibleKind.choices,
        default=ResponsibleKind.DISPATCH,
    )
    # UTILITY: which resource's provider; TERRITORY: which kind of organisation serves the area;
    # CITY_DEPARTMENT: which department.
    resource = models.CharField(_("resource"), max_length=16, choices=Resource.choices, blank=True)
    territory_kind = models.CharField(
        _("territory organisation kind"),
        max_length=24,
        choices=OrganisationKind.choices,
        blank=True,
    )
    department_area = models.CharField(
        _("department"), max_length=16, choices=DepartmentArea.choices, blank=True
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    needs_building = models.BooleanField(
        _("about a building"),
        default=True,
        help_text=_("Filed against a building (else a point on the map)"),
    )
    photo_required = models.BooleanField(_("photo required"), default=False)
    moderated = models.BooleanField(_("moderated before routing"), default=False)
    duplicate_radius_m = models.PositiveIntegerField(
        _("radius for similar appeals, m"),
        default=150,
        help_text=_("For appeals not tied to a building"),
    )
    auto_close_days = models.PositiveSmallIntegerField(
        _("close automatically after, days"),
        default=5,
        help_text=_("Without the resident's answer to a resolution"),
    )
    reopen_window_days = models.PositiveSmallIntegerField(
        _("may be reopened within, days"), default=30
    )

    # When the row last changed: the Open311 service list's changeset.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="category_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class DeadlinePolicy(MunicipalModel):
    """How long a stage of a category's appeals may take (seeded from the regulations)."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("category")
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    amount = models.PositiveIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=16, choices=TimeUnit.choices)
    # Counted only inside a daily window (e.g. garbage chutes: 08:00–23:00).
    window_start = models.TimeField(_("counted from"), null=True, blank=True)
    window_end = models.TimeField(_("counted until"), null=True, blank=True)
    # Applies in these months only (e.g. "11,12,1,2,3" for winter); blank for all year.
    months = models.CharField(_("months"), max_length=40, blank=True)
    source = models.CharField(_("source (regulation)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["category_id", "stage", "-months"]

    def __str__(self) -> str:
        return (
            f"{self.category}: {self.get_stage_display()} {self.amount} {self.get_unit_display()}"
        )


class CategoryQuestion(MunicipalModel):
    """An extra typed question asked when filing (an Open311 service-definition attribute)."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="questions", verbose_name=_("category")
    )
    code = models.SlugField(_("code"), max_length=64)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    datatype = models.CharField(_("type"), max_length=16, choices=QuestionType.choices)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # For list types: [{"key": "...", "name": "..."}]
    values = models.JSONField(_("values"), default=list, blank=True)
    # For numbers: the range an answer must lie in (either end may be open).
    min_value = models.DecimalField(
        _("smallest number"), max_digits=15, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest number"), max_digits=15, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="question_unique_code"),
            models.CheckConstraint(
                condition=models.Q(min_value__isnull=True)
                | models.Q(max_value__isnull=True)
                | models.Q(min_value__lte=models.F("max_value")),
                name="question_range_ordered",
                violation_error_message=_("The smallest number is above the largest."),
            ),
        ]

    def __str__(self) -> str:
        return self.label
