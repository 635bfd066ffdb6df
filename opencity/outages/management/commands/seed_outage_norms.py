from opencity.core.management.seeding import SeedCommand
from opencity.outages.seeds import outage_norms_seed


class Command(SeedCommand):
    help = "Create or update the permitted interruptions per resource (ПП 354) (idempotent)."
    seed = staticmethod(outage_norms_seed)
    counted = "permitted interruptions"
