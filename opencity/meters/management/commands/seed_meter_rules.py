from opencity.core.management.seeding import SeedCommand
from opencity.meters.seeds import meter_rules_seed


class Command(SeedCommand):
    help = "Create or update the meter defaults, reading rules and the default window (idempotent)."
    seed = staticmethod(meter_rules_seed)
    counted = "meter rules"
