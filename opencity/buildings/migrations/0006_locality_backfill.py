"""Fill the new settlement fields of existing buildings from their one-string addresses.

Before 0005 a village's house and the city's house of the same street and number read the
same ("ул. Гагарина, 3"); this reads each building's settlement out of its address, as the
import now does, and rebuilds its search text. It uses the parser of this release
(buildings.addresses): a later parser may read some addresses better on the next import.
"""

from django.db import migrations

from opencity.buildings.addresses import (
    address_locality_text,
    address_parse,
    address_search_text,
    locality_key,
)

BATCH = 2000


def backfill(apps, schema_editor):
    Building = apps.get_model("buildings", "Building")
    Municipality = apps.get_model("core", "Municipality")
    main = {pk: locality_key(name) for pk, name in Municipality.objects.values_list("pk", "name")}
    changed = []
    qs = Building.objects.filter(locality_name="").exclude(address="").order_by("pk")
    for building in qs.iterator(chunk_size=BATCH):
        parsed = address_parse(building.address)
        if not parsed.locality_name:
            continue
        building.locality_type = parsed.locality_type[:16]
        building.locality_name = parsed.locality_name[:200]
        building.locality_parent = parsed.locality_parent[:200]
        if building.street or building.house_number:
            locality = address_locality_text(
                locality_type=building.locality_type,
                locality_name=building.locality_name,
                locality_parent=building.locality_parent,
                street=building.street,
                main=main.get(building.municipality_id, ""),
            )
            building.search_text = address_search_text(
                street=building.street,
                house_number=building.house_number,
                corpus=building.corpus,
                structure=building.structure,
                locality=locality,
            )[:400]
        changed.append(building)
        if len(changed) >= BATCH:
            Building.objects.bulk_update(
                changed, ["locality_type", "locality_name", "locality_parent", "search_text"]
            )
            changed = []
    if changed:
        Building.objects.bulk_update(
            changed, ["locality_type", "locality_name", "locality_parent", "search_text"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("buildings", "0005_building_locality"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
