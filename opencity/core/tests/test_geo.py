"""The map's bounding box as the public maps and the API read it."""

import pytest

from opencity.core.geo import bbox_parse


@pytest.mark.parametrize(
    ("text", "box"),
    [
        ("49.0,55.7,49.3,55.9", (49.0, 55.7, 49.3, 55.9)),
        ("-10.5,-20,10,20", (-10.5, -20.0, 10.0, 20.0)),
        ("170,0,-170,10", (170.0, 0.0, -170.0, 10.0)),  # across the antimeridian
        ("", None),
        ("north", None),
        ("1,2,3", None),
        ("1,2,3,4,5", None),
        ("49,56,49.3,55", None),  # south above north
        ("200,0,10,10", None),
        ("0,-95,10,10", None),
    ],
)
def test_bbox_parse(text, box):
    assert bbox_parse(text) == box
