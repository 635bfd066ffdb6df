from opencity.core.management.seeding import SeedCommand
from opencity.inspections.seeds import defect_rules_seed


class Command(SeedCommand):
    help = (
        "Map each building element's urgent defects to an appeal category (run seed_categories "
        "first); rows there already stay."
    )
    seed = staticmethod(defect_rules_seed)
    counted = "rules"
