from opencity.core.calendar_seeds import calendar_seed
from opencity.core.management.seeding import SeedCommand


class Command(SeedCommand):
    help = "Load the production calendar (transfers, shortened days) and regional holidays."
    seed = staticmethod(calendar_seed)
    counted = "calendar days"
