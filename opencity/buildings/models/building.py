"""A building of the registry: its address and settlement, its technical passport, its
engineering systems, condition and manager."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opencity.buildings.addresses import address_locality_text, address_short
from opencity.buildings.localities import municipality_main_locality
from opencity.buildings.models.choices import (
    BuildingSource,
    CapitalRepairFund,
    ColdWaterSystem,
    Condition,
    DrainSystem,
    ElectricitySystem,
    EnergyClass,
    FireSystem,
    FloorSlabType,
    FoundationType,
    GasSystem,
    HeatingSystem,
    HotWaterSystem,
    HouseType,
    RepairClass,
    RoofingMaterial,
    RoofType,
    SewageSystem,
    TechnicalState,
    VentilationSystem,
    WallMaterial,
)
from opencity.core.models import District, MunicipalModel


class Building(MunicipalModel):
    # Identity and address
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        blank=True,
        help_text=_("Key of re-imports, e.g. Реформа ЖКХ HOUSE_ID"),
    )
    source = models.CharField(
        _("source"), max_length=16, choices=BuildingSource.choices, default="manual"
    )
    address = models.CharField(_("full address"), max_length=400)
    # The settlement the house stands in (a municipality's export covers its villages too).
    locality_type = models.CharField(
        _("settlement type"), max_length=16, blank=True, help_text=_("e.g. г., с., п., пгт")
    )
    locality_name = models.CharField(_("settlement"), max_length=200, blank=True)
    locality_parent = models.CharField(
        _("within"),
        max_length=200,
        blank=True,
        help_text=_("The settlements around it, e.g. «нп. Русский Остров»"),
    )
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    corpus = models.CharField(_("corpus"), max_length=20, blank=True)
    structure = models.CharField(_("structure (строение)"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    h3_cell = models.CharField(_("H3 cell"), max_length=16, blank=True, db_index=True)
    # Lower-case "settlement street house corpus" with ё folded to е (the settlement when it is
    # not the municipality's own town): what the address search matches.
    search_text = models.CharField(
        max_length=400, blank=True, editable=False, verbose_name=_("search text")
    )
    cadastral_number = models.CharField(_("cadastral number"), max_length=40, blank=True)
    fias_guid = models.CharField(_("FIAS / GAR id"), max_length=36, blank=True)

    # Construction
    year_built = models.PositiveSmallIntegerField(_("year commissioned"), null=True, blank=True)
    series = models.CharField(_("series / project"), max_length=120, blank=True)
    # Blank when the source does not say: an unknown type is not an apartment building.
    house_type = models.CharField(
        _("house type"), max_length=16, choices=HouseType.choices, blank=True, default=""
    )
    floors_max = models.PositiveSmallIntegerField(_("storeys, max"), null=True, blank=True)
    floors_min = models.PositiveSmallIntegerField(_("storeys, min"), null=True, blank=True)
    floors_underground = models.PositiveSmallIntegerField(
        _("underground storeys"), null=True, blank=True
    )
    entrances_count = models.PositiveSmallIntegerField(_("entrances"), null=True, blank=True)
    premises_total = models.PositiveIntegerField(_("premises, total"), null=True, blank=True)
    premises_residential = models.PositiveIntegerField(
        _("residential premises"), null=True, blank=True
    )
    premises_nonresidential = models.PositiveIntegerField(
        _("non-residential premises"), null=True, blank=True
    )
    area_total = models.DecimalField(
        _("total area, m²"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    area_residential = models.DecimalField(
        _("residential area, m²"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    area_nonresidential = models.DecimalField(
        _("non-residential area, m²"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    area_common = models.DecimalField(
        _("common area, m²"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    area_land = models.DecimalField(
        _("land plot, m²"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    area_parking = models.DecimalField(
        _("parking, m²"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    wall_material = models.CharField(
        _("walls"), max_length=16, choices=WallMaterial.choices, blank=True
    )
    foundation_type = models.CharField(
        _("foundation"), max_length=16, choices=FoundationType.choices, blank=True
    )
    floor_slab_type = models.CharField(
        _("floor slabs"), max_length=24, choices=FloorSlabType.choices, blank=True
    )
    roof_type = models.CharField(_("roof"), max_length=16, choices=RoofType.choices, blank=True)
    roofing_material = models.CharField(
        _("roofing"), max_length=16, choices=RoofingMaterial.choices, blank=True
    )

    # Engineering systems
    heating_system = models.CharField(
        _("heating"), max_length=20, choices=HeatingSystem.choices, blank=True
    )
    hot_water_system = models.CharField(
        _("hot water"), max_length=20, choices=HotWaterSystem.choices, blank=True
    )
    cold_water_system = models.CharField(
        _("cold water"), max_length=16, choices=ColdWaterSystem.choices, blank=True
    )
    sewage_system = models.CharField(
        _("sewage"), max_length=16, choices=SewageSystem.choices, blank=True
    )
    gas_system = models.CharField(_("gas"), max_length=16, choices=GasSystem.choices, blank=True)
    electricity_system = models.CharField(
        _("electricity"), max_length=16, choices=ElectricitySystem.choices, blank=True
    )
    ventilation_system = models.CharField(
        _("ventilation"), max_length=16, choices=VentilationSystem.choices, blank=True
    )
    fire_system = models.CharField(
        _("fire-fighting"), max_length=16, choices=FireSystem.choices, blank=True
    )
    drain_system = models.CharField(
        _("drains"), max_length=16, choices=DrainSystem.choices, blank=True
    )
    lifts_count = models.PositiveSmallIntegerField(_("lifts"), null=True, blank=True)
    has_garbage_chute = models.BooleanField(_("garbage chute"), null=True, blank=True)

    # Condition and management
    is_emergency = models.BooleanField(_("declared emergency (аварийный)"), default=False)
    energy_class = models.CharField(
        _("energy-efficiency class"), max_length=3, choices=EnergyClass.choices, blank=True
    )
    capital_repair_fund = models.CharField(
        _("capital repair fund"), max_length=20, choices=CapitalRepairFund.choices, blank=True
    )
    # The current manager, kept in step with ManagementContract by buildings.services.
    management_company = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_buildings",
        verbose_name=_("management company"),
    )
    management_since = models.DateField(_("managed since"), null=True, blank=True)
    wear_percent = models.DecimalField(
        _("physical wear, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # From the latest signed inspection act (inspections.services), with their history there.
    condition = models.CharField(
        _("condition"), max_length=16, choices=Condition.choices, blank=True
    )
    technical_state = models.CharField(
        _("technical condition (ГОСТ 31937)"),
        max_length=16,
        choices=TechnicalState.choices,
        blank=True,
    )
    repair_class = models.CharField(
        _("capital-repair class"), max_length=16, choices=RepairClass.choices, blank=True
    )
    wear_assessed_on = models.DateField(_("wear assessed on"), null=True, blank=True)
    residents_count = models.PositiveIntegerField(_("residents"), null=True, blank=True)
    is_heritage = models.BooleanField(_("heritage site"), default=False)
    amenities = models.TextField(_("yard amenities"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source_updated_at = models.DateTimeField(_("updated at the source"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["street", "house_number", "corpus"]
        indexes = [
            models.Index(fields=["municipality", "search_text"]),
            models.Index(fields=["municipality", "district"]),
            models.Index(fields=["municipality", "management_company"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "external_id"],
                condition=~Q(external_id=""),
                name="building_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return self.short_address or self.address

    @property
    def locality_shown(self) -> str:
        """Return the settlement as labels show it: '' in the municipality's own town."""
        return address_locality_text(
            locality_type=self.locality_type,
            locality_name=self.locality_name,
            locality_parent=self.locality_parent,
            street=self.street,
            main=municipality_main_locality(municipality_id=self.municipality_id),
        )

    @property
    def short_address(self) -> str:
        return address_short(
            street=self.street,
            house_number=self.house_number,
            corpus=self.corpus,
            structure=self.structure,
            locality=self.locality_shown,
        )

    def get_absolute_url(self) -> str:
        return reverse("buildings:detail", args=[self.pk])
