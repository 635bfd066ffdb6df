"""Every shape of the API document is one class: Ninja names an OpenAPI component after its
class, so a second class of the same name would silently take the first one's place."""

from collections import defaultdict

from ninja import Schema

from config.api import api


def _schema_classes(base=Schema):
    for sub in base.__subclasses__():
        yield sub
        yield from _schema_classes(sub)


def test_no_two_api_shapes_share_a_name():
    document = api.get_openapi_schema(path_prefix="/api/v1/")  # every router's shapes used
    # Query parameters' shapes are spread into parameters: only components have names.
    components = set(document["components"]["schemas"])
    by_name = defaultdict(set)
    for cls in _schema_classes():
        if cls.__module__.startswith("opencity.") and cls.__name__ in components:
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(places) for name, places in by_name.items() if len(places) > 1}
    assert not shared, shared


def test_the_document_has_each_shape_it_names():
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    components = document["components"]["schemas"]
    assert "OrganisationContactOut" in components and "ContactOut" in components
    assert set(components["ContactOut"]["properties"]) == {"name", "phone", "email", "preference"}
