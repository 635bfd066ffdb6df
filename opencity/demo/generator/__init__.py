"""The deterministic demo city generator: plans rows in memory, services.py writes them."""

from opencity.demo.generator.city import CityGenerator, CityPlan

__all__ = ["CityGenerator", "CityPlan"]
