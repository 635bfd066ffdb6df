"""Meters of apartments and buildings, their readings, the rules (as data) and bulk imports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opencity.core.models import Municipality, MunicipalModel


class MeterKind(models.TextChoices):
    COLD_WATER = "cold_water", _("Cold water")
    HOT_WATER = "hot_water", _("Hot water")
    ELECTRICITY = "electricity", _("Electricity")
    HEAT = "heat", _("Heat")
    GAS = "gas", _("Gas")


class TariffZones(models.IntegerChoices):
    SINGLE = 1, _("Single-rate")
    TWO = 2, _("Two-zone (day, night)")
    THREE = 3, _("Three-zone (peak, half-peak, night)")


# What each zone's value is called, by the number of zones (ПП 354; DOMAIN.md).
ZONE_LABELS = {
    1: (_("Reading"),),
    2: (_("Day (T1, 07–23)"), _("Night (T2, 23–07)")),
    3: (_("Peak (T1)"), _("Night (T2)"), _("Half-peak (T3)")),
}


class MeterKindRule(MunicipalModel):
    """Defaults for a kind of meter: the verification interval and the counter's digits."""

    kind = models.CharField(_("kind"), max_length=16, choices=MeterKind.choices)
    verification_years = models.PositiveSmallIntegerField(_("verification interval, years"))
    digits = models.PositiveSmallIntegerField(
        _("digits before the point"), default=5, help_text=_("The counter rolls over after 99…9")
    )
    unit = models.CharField(_("unit"), max_length=16)
    source = models.CharField(_("source (regulation)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("meter kind default")
        verbose_name_plural = _("meter kind defaults")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind"], name="meter_kind_rule_unique")
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class MeterRules(MunicipalModel):
    """The checks on a reading and the reminders, for the whole municipality."""

    jump_factor = models.DecimalField(
        _("implausible jump: times the average monthly consumption"),
        max_digits=5,
        decimal_places=2,
        default=3,
    )
    average_months = models.PositiveSmallIntegerField(
        _("months in the average consumption"), default=6
    )
    min_history_months = models.PositiveSmallIntegerField(
        _("months of history before jumps are checked"), default=2
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind this many days before the window closes"), default=2
    )
    average_fallback_months = models.PositiveSmallIntegerField(
        _("months charged at the average without readings, then by the norm"), default=3
    )

    class Meta:
        verbose_name = _("meter reading rules")
        verbose_name_plural = _("meter reading rules")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="meter_rules_one_per_city")
        ]

    def __str__(self) -> str:
        return str(_("Meter reading rules"))


class SubmissionWindow(MunicipalModel):
    """The days of the month residents submit readings (a provider's own, or the city's default).

    A window whose closing day comes before its opening day runs into the next month
    (e.g. the 23rd to the 3rd); it takes the readings of the month in which it opens.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
        help_text=_("Empty: the municipality's default window"),
    )
    opens_day = models.PositiveSmallIntegerField(_("opens on day"))
    closes_day = models.PositiveSmallIntegerField(
        _("closes after day"), help_text=_("31 means the last day of the month")
    )

    class Meta:
        verbose_name = _("submission window")
        verbose_name_plural = _("submission windows")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "organisation"], name="submission_window_unique"
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(organisation__isnull=True),
                name="submission_window_one_default",
            ),
            models.CheckConstraint(
                condition=Q(opens_day__gte=1, opens_day__lte=31, closes_day__gte=1)
                & Q(closes_day__lte=31),
                name="submission_window_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation or _('Default')}: {self.opens_day}–{self.closes_day}"


class Meter(MunicipalModel):
    building = models.ForeignKey(
        "buildings.Building", on_delete=models.CASCADE, related_name="+", verbose_name=_("building")
    )
    # Empty: a common-house (building) meter.
    apartment = models.ForeignKey(
        "buildings.Apartment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meters",
        verbose_name=_("apartment"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeterKind.choices)
    zones = models.PositiveSmallIntegerField(
        _("tariff zones"), choices=TariffZones.choices, default=TariffZones.SINGLE
    )
    serial_number = models.CharField(_("serial number"), max_length=40)
    model = models.CharField(_("model"), max_length=120, blank=True)
    install_date = models.DateField(_("installed on"), null=True, blank=True)
    verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    verification_years = models.PositiveSmallIntegerField(_("verification interval, years"))
    digits = models.PositiveSmallIntegerField(_("digits before the point"), default=5)
    initial_value1 = models.DecimalField(
        _("initial reading"), max_digits=14, decimal_places=3, default=0
    )
    initial_value2 = models.DecimalField(
        _("initial reading, T2"), max_digits=14, decimal_places=3, default=0
    )
    initial_value3 = models.DecimalField(
        _("initial reading, T3"), max_digits=14, decimal_places=3, default=0
    )
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider receiving the readings"),
    )
    is_active = models.BooleanField(_("in service"), default=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces the meter"),
    )
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["building_id", "apartment_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "serial_number"],
                condition=Q(is_active=True),
                name="meter_unique_active_serial",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "provider"], name="meter_provider_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} № {self.serial_number}"

    @property
    def zone_labels(self):
        return ZONE_LABELS.get(self.zones, ZONE_LABELS[1])


class ReadingSource(models.TextChoices):
    RESIDENT = "resident", _("The resident")
    STAFF = "staff", _("Staff")
    IMPORT = "import", _("Import")


class ReadingImport(MunicipalModel):
    """One bulk import of readings and its report (every bad row, and the count of good ones)."""

    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    filename = models.CharField(_("file"), max_length=255)
    method = models.CharField(_("how it was checked"), max_length=8)
    total = models.PositiveIntegerField(_("rows"), default=0)
    accepted = models.PositiveIntegerField(_("readings recorded"), default=0)
    unchanged = models.PositiveIntegerField(_("already recorded"), default=0)
    failed = models.PositiveIntegerField(_("rows rejected"), default=0)
    flagged = models.PositiveIntegerField(_("readings flagged"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    # The first issues, for the page; the whole report is a CSV file.
    issues = models.JSONField(_("first issues"), default=list, blank=True)
    report = models.TextField(_("the whole report (CSV)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("readings import")
        verbose_name_plural = _("readings imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"


class MeterReading(MunicipalModel):
    # Indexed together with the period below; no index of its own (imports write millions).
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("municipality"),
    )
    meter = models.ForeignKey(
        Meter,
        on_delete=models.CASCADE,
        related_name="readings",
        db_index=False,
        verbose_name=_("meter"),
    )
    # The month the reading is for (its first day).
    period = models.DateField(_("period"))
    value1 = models.DecimalField(_("reading"), max_digits=14, decimal_places=3)
    value2 = models.DecimalField(_("reading, T2"), max_digits=14, decimal_places=3, null=True)
    value3 = models.DecimalField(_("reading, T3"), max_digits=14, decimal_places=3, null=True)
    # Since the previous reading (all zones); null when there is nothing to count from.
    consumption = models.DecimalField(_("consumption"), max_digits=14, decimal_places=3, null=True)
    # The running average monthly consumption after this reading, and how many months it has.
    avg_consumption = models.DecimalField(
        max_digits=14, decimal_places=3, null=True, verbose_name=_("average consumption")
    )
    months_counted = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("months in the average")
    )
    taken_at = models.DateTimeField(_("submitted at"))
    source = models.CharField(_("source"), max_length=10, choices=ReadingSource.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,
        verbose_name=_("submitted by"),
    )
    # Which import wrote it (a resident's reading names the resident instead). A pointer, not a
    # constraint: checking it would cost an import of a million rows a million lookups.
    import_batch = models.ForeignKey(
        ReadingImport,
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("import"),
    )
    rollover = models.BooleanField(_("the counter rolled over"), default=False)
    implausible = models.BooleanField(_("implausible jump"), default=False)
    verification_overdue = models.BooleanField(_("verification overdue"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed by staff at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")
        ordering = ["meter_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["meter", "period"], name="reading_unique_period")
        ]
        indexes = [
            models.Index(fields=["municipality", "period"], name="reading_period_idx"),
            models.Index(
                fields=["municipality", "period"],
                condition=Q(implausible=True, reviewed_at__isnull=True),
                name="reading_flagged_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meter_id} {self.period:%Y-%m}: {self.value1}"

    @property
    def values(self) -> list:
        return [v for v in (self.value1, self.value2, self.value3) if v is not None]
