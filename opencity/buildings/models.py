"""The registry of apartment buildings: technical passports, entrances, apartments, accounts."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opencity.buildings.addresses import address_locality_text, address_short
from opencity.buildings.localities import municipality_main_locality
from opencity.core.models import District, MunicipalModel


class HouseType(models.TextChoices):
    APARTMENT = "apartment", _("Apartment building")
    BLOCKED = "blocked", _("Terraced (blocked) house")
    DORMITORY = "dormitory", _("Dormitory")
    SPECIAL = "special", _("Specialised housing")
    OTHER = "other", _("Other")


class WallMaterial(models.TextChoices):
    BRICK = "brick", _("Brick / stone")
    PANEL = "panel", _("Panel")
    BLOCK = "block", _("Block")
    MIXED = "mixed", _("Mixed")
    MONOLITHIC = "monolithic", _("Monolithic")
    WOODEN = "wooden", _("Wooden")
    OTHER = "other", _("Other")


class FoundationType(models.TextChoices):
    STRIP = "strip", _("Strip")
    CONCRETE_POSTS = "concrete_posts", _("Concrete posts")
    PILE = "pile", _("Pile")
    COLUMN = "column", _("Column")
    SLAB = "slab", _("Slab")
    PREFABRICATED = "prefabricated", _("Prefabricated")
    COMBINED = "combined", _("Combined")
    OTHER = "other", _("Other")
    NONE = "none", _("None")


class FloorSlabType(models.TextChoices):
    REINFORCED_CONCRETE = "reinforced_concrete", _("Reinforced concrete")
    WOODEN = "wooden", _("Wooden")
    MIXED = "mixed", _("Mixed")


class RoofType(models.TextChoices):
    FLAT = "flat", _("Flat")
    PITCHED = "pitched", _("Pitched")
    OTHER = "other", _("Other")


class RoofingMaterial(models.TextChoices):
    ROLL = "roll", _("Roll (bitumen)")
    METAL = "metal", _("Metal sheet")
    SLATE = "slate", _("Asbestos-cement slate")
    TILE = "tile", _("Tile")
    MEMBRANE = "membrane", _("Membrane")
    OTHER = "other", _("Other")


class HeatingSystem(models.TextChoices):
    CENTRAL = "central", _("Central")
    AUTONOMOUS_BOILER = "autonomous_boiler", _("Autonomous boiler house")
    FLAT_BOILER = "flat_boiler", _("Flat boiler")
    STOVE = "stove", _("Stove")
    ELECTRIC = "electric", _("Electric")
    HEAT_SUBSTATION = "heat_substation", _("Individual heat substation")
    NONE = "none", _("None")


class HotWaterSystem(models.TextChoices):
    CENTRAL_OPEN = "central_open", _("Central, open system")
    CENTRAL_CLOSED = "central_closed", _("Central, closed system")
    AUTONOMOUS_BOILER = "autonomous_boiler", _("Autonomous boiler house")
    FLAT_HEATER = "flat_heater", _("Flat water heater")
    HEAT_SUBSTATION = "heat_substation", _("Individual heat substation")
    NONE = "none", _("None")


class ColdWaterSystem(models.TextChoices):
    CENTRAL = "central", _("Central")
    AUTONOMOUS = "autonomous", _("Autonomous (well)")
    NONE = "none", _("None")


class SewageSystem(models.TextChoices):
    CENTRAL = "central", _("Central")
    AUTONOMOUS = "autonomous", _("Autonomous (septic tank)")
    NONE = "none", _("None")


class GasSystem(models.TextChoices):
    CENTRAL = "central", _("Central")
    AUTONOMOUS = "autonomous", _("Autonomous (cylinders)")
    NONE = "none", _("None")


class ElectricitySystem(models.TextChoices):
    CENTRAL = "central", _("Central")
    AUTONOMOUS = "autonomous", _("Autonomous")


class VentilationSystem(models.TextChoices):
    NATURAL = "natural", _("Natural exhaust")
    FORCED = "forced", _("Forced supply and exhaust")
    MIXED = "mixed", _("Mixed")
    NONE = "none", _("None")


class FireSystem(models.TextChoices):
    HYDRANTS = "hydrants", _("Fire hydrants")
    AUTOMATIC = "automatic", _("Automatic fire-fighting")
    ALARM = "alarm", _("Alarm only")
    NONE = "none", _("None")


class DrainSystem(models.TextChoices):
    INTERNAL = "internal", _("Internal drains")
    EXTERNAL = "external", _("External drains")
    NONE = "none", _("None")


class EnergyClass(models.TextChoices):
    """The classes of both scales: 2011 (A++ … E, with B++ and B+) and 2016 (A++ … G)."""

    A_PLUS_PLUS = "A++", "A++"
    A_PLUS = "A+", "A+"
    A = "A", "A"
    B_PLUS_PLUS = "B++", "B++"
    B_PLUS = "B+", "B+"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    G = "G", "G"


class CapitalRepairFund(models.TextChoices):
    REGIONAL_OPERATOR = "regional_operator", _("Regional operator's account")
    SPECIAL_ACCOUNT = "special_account", _("Special account")
    NOT_DEFINED = "not_defined", _("Not defined")


class BuildingSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    OWN_IMPORT = "own_import", _("opencity import")
    REFORMA = "reforma", _("Реформа ЖКХ open data")
    DEMO = "demo", _("Demo generator")


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
        """The settlement as labels show it: '' in the municipality's own town."""
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


class Entrance(MunicipalModel):
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="entrances", verbose_name=_("building")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    floors = models.PositiveSmallIntegerField(_("storeys"), null=True, blank=True)
    has_lift = models.BooleanField(_("lift"), default=False)

    class Meta:
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        ordering = ["building_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="entrance_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.building}, {_('entrance')} {self.number}"


class Apartment(MunicipalModel):
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="apartments", verbose_name=_("building")
    )
    entrance = models.ForeignKey(
        Entrance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="apartments",
        verbose_name=_("entrance"),
    )
    number = models.CharField(_("number"), max_length=16)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    area = models.DecimalField(_("area, m²"), max_digits=8, decimal_places=2, null=True, blank=True)
    living_area = models.DecimalField(
        _("living area, m²"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    rooms = models.PositiveSmallIntegerField(_("rooms"), null=True, blank=True)
    is_residential = models.BooleanField(_("residential"), default=True)

    class Meta:
        verbose_name = _("apartment")
        verbose_name_plural = _("apartments")
        ordering = ["building_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="apartment_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.building}, {_('apt.')} {self.number}"


class PersonalAccount(MunicipalModel):
    """A billing account of an apartment (лицевой счёт), maybe per provider."""

    apartment = models.ForeignKey(
        Apartment, on_delete=models.CASCADE, related_name="accounts", verbose_name=_("apartment")
    )
    number = models.CharField(_("account number"), max_length=32)
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("personal account")
        verbose_name_plural = _("personal accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], name="account_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class AccountHolder(MunicipalModel):
    """A resident who linked a personal account to their profile: their home on the platform."""

    account = models.ForeignKey(
        PersonalAccount,
        on_delete=models.CASCADE,
        related_name="holders",
        verbose_name=_("personal account"),
    )
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="account_holdings",
        verbose_name=_("resident"),
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account holder")
        verbose_name_plural = _("account holders")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "user"], name="account_holder_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.account}"
