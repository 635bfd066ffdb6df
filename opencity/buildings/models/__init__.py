"""The registry of apartment buildings: technical passports, entrances, apartments, accounts.

Importing the package imports every model, so Django finds them all; callers import them from
here (``from opencity.buildings.models import Building``).
"""

from opencity.buildings.models.apartments import AccountHolder, Apartment, Entrance, PersonalAccount
from opencity.buildings.models.building import Building
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

__all__ = [
    "AccountHolder",
    "Apartment",
    "Building",
    "BuildingSource",
    "CapitalRepairFund",
    "ColdWaterSystem",
    "Condition",
    "DrainSystem",
    "ElectricitySystem",
    "EnergyClass",
    "Entrance",
    "FireSystem",
    "FloorSlabType",
    "FoundationType",
    "GasSystem",
    "HeatingSystem",
    "HotWaterSystem",
    "HouseType",
    "RepairClass",
    "PersonalAccount",
    "RoofType",
    "RoofingMaterial",
    "SewageSystem",
    "TechnicalState",
    "VentilationSystem",
    "WallMaterial",
]
