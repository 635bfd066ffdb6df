"""Data the demo generator reads: districts, streets, names, building profiles."""

from opencity.demo.data.kazan import KAZAN
from opencity.demo.data.yelabuga import YELABUGA

CITIES = (KAZAN, YELABUGA)

__all__ = ["CITIES", "KAZAN", "YELABUGA"]
