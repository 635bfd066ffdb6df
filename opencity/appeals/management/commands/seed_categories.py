from opencity.appeals.seeds import categories_seed
from opencity.core.management.seeding import SeedCommand


class Command(SeedCommand):
    help = "Create or update the category tree with its deadlines and questions (by code)."
    seed = staticmethod(categories_seed)
    counted = "categories"
