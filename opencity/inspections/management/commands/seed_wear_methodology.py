from opencity.core.management.seeding import SeedCommand
from opencity.inspections.seeds import methodology_seed


class Command(SeedCommand):
    help = "Create version 1 of the wear methodology (ВСН 53-86(р)) unless one exists."
    seed = staticmethod(methodology_seed)
    counted = "methodology rows"
