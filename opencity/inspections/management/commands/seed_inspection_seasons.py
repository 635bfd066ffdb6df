from opencity.core.management.seeding import SeedCommand
from opencity.inspections.seeds import seasons_seed


class Command(SeedCommand):
    help = "Create the spring and autumn inspection seasons a municipality does not have yet."
    seed = staticmethod(seasons_seed)
    counted = "seasons"
