"""The vocabularies of a building's technical passport: house types, materials, engineering
systems, energy classes, the capital repair fund and where a record came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Condition(models.TextChoices):
    """The condition by physical wear (the codes of the wear methodology's condition scale)."""

    GOOD = "good", _("Good")
    SATISFACTORY = "satisfactory", _("Satisfactory")
    UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")
    DILAPIDATED = "dilapidated", _("Dilapidated")
    UNFIT = "unfit", _("Unfit")


class TechnicalState(models.TextChoices):
    """The category of technical condition of ГОСТ 31937-2011, assessed by a commission."""

    NORMATIVE = "normative", _("Normative")
    WORKABLE = "workable", _("Workable")
    LIMITED = "limited", _("Limited-workable")
    EMERGENCY = "emergency", _("Emergency")


class RepairClass(models.TextChoices):
    """The capital-repair class by physical wear (the methodology's capital-repair scale)."""

    NONE = "none", _("No capital repair needed")
    NEEDED = "needed", _("Capital repair needed")
    PRIORITY = "priority", _("Priority capital repair")
    SURVEY = "survey", _("Instrumental survey")


class BuildingSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    OWN_IMPORT = "own_import", _("opencity import")
    REFORMA = "reforma", _("Реформа ЖКХ open data")
    DEMO = "demo", _("Demo generator")
