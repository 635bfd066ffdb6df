"""The wear calculation, table-driven, with the worked examples of DOMAIN.md ("Inspections and
physical wear", "More on wear and inspections") and cases computed by hand from its formulas."""

from decimal import Decimal as D

import pytest

from opencity.inspections.calculation import (
    Band,
    CalculationError,
    Element,
    Grade,
    Methodology,
    Observation,
    Part,
    Rounding,
    Share,
    round_to,
    wear_calculate,
)

# An element with the band of DOMAIN.md's example (31–40 %, three signs) between two others.
WALLS = Element(
    "walls",
    (
        Band(0, 10, ("w1",)),
        Band(11, 30, ("w2", "w3")),
        Band(31, 40, ("a", "b", "c")),
        Band(41, 60, ("d", "e")),
    ),
)
ROOF_STRUCTURE = Element("roof_structure", (Band(0, 20, ("r1", "r2")), Band(21, 40, ("r3", "r4"))))
ROOFING = Element("roofing", (Band(0, 20, ("t1",)), Band(21, 40, ("t2", "t3", "t4", "t5"))))
CONDITIONS = (
    Grade("good", 0, 20),
    Grade("satisfactory", 21, 40),
    Grade("unsatisfactory", 41, 60),
    Grade("dilapidated", 61, 80),
    Grade("unfit", 81, 100),
)
CLASSES = (
    Grade("none", 0, 30),
    Grade("needed", 31, 50),
    Grade("priority", 51, 65),
    Grade("survey", 66, 100),
)
METHOD = Methodology(
    "ВСН 53-86(р) v1", (WALLS, ROOF_STRUCTURE, ROOFING), CONDITIONS, CLASSES, Rounding()
)


def one(element, *signs, **kwargs):
    return Observation(element, (Part(signs=tuple(signs)),), **kwargs)


@pytest.mark.parametrize(
    ("signs", "expected", "rule"),
    [
        # DOMAIN.md: all signs of the 31–40 % band → 40 %.
        (("a", "b", "c"), D(40), "band_all_signs"),
        # DOMAIN.md: one sign → 31 %, rounded to 30 %.
        (("b",), D(30), "band_one_sign"),
        # DOMAIN.md: two of three → about 35 %: 31 + 9·(2−1)/(3−1) = 35.5 → 35 at 5 %.
        (("a", "c"), D(35), "band_interpolated"),
        # A band of one sign: it is all its signs → top.
        (("w1",), D(10), "band_all_signs"),
        # Signs of two bands: the worst band decides (one of 41–60 → 41 → 40).
        (("a", "b", "d"), D(40), "band_one_sign"),
        (("d", "e", "a"), D(60), "band_all_signs"),
        # A sign ticked twice counts once.
        (("a", "a"), D(30), "band_one_sign"),
    ],
)
def test_element_wear_from_signs(signs, expected, rule):
    result = wear_calculate(methodology=METHOD, observations=[one("walls", *signs)])
    assert result.elements[0].wear == expected
    assert result.steps[0].rule == rule


def test_interpolation_keeps_the_unrounded_value_in_the_derivation():
    result = wear_calculate(methodology=METHOD, observations=[one("walls", "a", "b")])
    rules = [(s.rule, s.value) for s in result.steps]
    assert rules == [("band_interpolated", D("35.50")), ("element_rounded", D(35))]


@pytest.mark.parametrize(
    ("parts", "expected_raw", "expected"),
    [
        # Фк = Σ Фi·Pi / Pк: 40 % on 30 m², 30 % (one sign of 31–40, 31 → 30 at 10 %) on 70 m²:
        # (40·30 + 30·70) / 100 = 33 → 35 at 5 %.
        ([Part(D(30), ("a", "b", "c")), Part(D(70), ("a",))], D(33), D(35)),
        # Parts are rounded to 10 % first: 35.5 → 40; (40·50 + 10·50) / 100 = 25 → 25.
        ([Part(D(50), ("a", "b")), Part(D(50), ("w1",))], D(25), D(25)),
        # Direct estimates (no signs in the table yet): (22·1 + 58·3)/4 → 20, 60 → 50.
        ([Part(D(1), wear=D(22)), Part(D(3), wear=D(58))], D(50), D(50)),
        # 12 % on 2, 47 % on 1: 10, 50 → (20 + 50)/3 = 23.33 → 25.
        ([Part(D(2), wear=D(12)), Part(D(1), wear=D(47))], D("23.33"), D(25)),
    ],
)
def test_element_in_parts_is_weighted_by_size(parts, expected_raw, expected):
    result = wear_calculate(methodology=METHOD, observations=[Observation("walls", tuple(parts))])
    weighted = next(s for s in result.steps if s.rule == "parts_weighted")
    assert weighted.value == expected_raw
    assert result.elements[0].wear == expected


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        (D(31), 5, D(30)),
        (D("32.5"), 5, D(35)),
        (D("35.5"), 5, D(35)),
        (D("35.5"), 10, D(40)),
        (D(34), 10, D(30)),
        (D("28.49"), 1, D(28)),
        (D("28.5"), 1, D(29)),
        (D(0), 5, D(0)),
    ],
)
def test_rounding(value, step, expected):
    assert round_to(value, step) == expected


# DOMAIN.md's set for a brick building, %: foundations 11, walls 35, floor slabs 15, roof 4,
# floors 5, windows/doors 6, finishes 4, other 7, systems 13.
BRICK = (
    "foundations",
    "walls",
    "floor_slabs",
    "roof",
    "floors",
    "windows_doors",
    "finishes",
    "other",
    "systems",
)
BRICK_PERCENT = (11, 35, 15, 4, 5, 6, 4, 7, 13)


def brick_method():
    elements = [Element(code, (Band(0, 100, ()),)) for code in BRICK if code != "roof"]
    elements += [ROOF_STRUCTURE, ROOFING]
    shares = [
        Share(
            code,
            D(percent),
            (("roof_structure", D(1)), ("roofing", D(1))) if code == "roof" else ((code, D(1)),),
        )
        for code, percent in zip(BRICK, BRICK_PERCENT, strict=True)
    ]
    return Methodology("v1", tuple(elements), CONDITIONS, CLASSES), shares


@pytest.mark.parametrize(
    ("wears", "building", "condition", "repair_class"),
    [
        # Every element at 20 %: Σ 20·li/100 = 20 → good, no capital repair.
        ({code: 20 for code in BRICK}, D(20), "good", "none"),
        # Walls 40, the rest 30: 40·0.35 + 30·0.65 = 14 + 19.5 = 33.5 → 34 → satisfactory, needed.
        ({**{code: 30 for code in BRICK}, "walls": 40}, D(34), "satisfactory", "needed"),
        # Foundations 60, walls 70, slabs 60, the rest 50:
        # 6.6 + 24.5 + 9 + 50·0.39 = 59.6 → 60 → unsatisfactory, priority.
        (
            {**{code: 50 for code in BRICK}, "foundations": 60, "walls": 70, "floor_slabs": 60},
            D(60),
            "unsatisfactory",
            "priority",
        ),
        # All at 70: dilapidated, instrumental survey (> 65 %).
        ({code: 70 for code in BRICK}, D(70), "dilapidated", "survey"),
        ({code: 85 for code in BRICK}, D(85), "unfit", "survey"),
    ],
)
def test_building_wear_is_the_sum_of_element_wear_by_share(
    wears, building, condition, repair_class
):
    method, shares = brick_method()
    observations = []
    for code, wear in wears.items():
        if code == "roof":
            observations += [
                Observation("roof_structure", (Part(wear=D(wear)),)),
                Observation("roofing", (Part(wear=D(wear)),)),
            ]
        else:
            observations.append(Observation(code, (Part(wear=D(wear)),)))
    result = wear_calculate(methodology=method, observations=observations, shares=shares)
    assert (result.building, result.condition, result.repair_class) == (
        building,
        condition,
        repair_class,
    )
    assert result.steps[-1].rule == "building_rounded"


def test_a_share_of_several_elements_takes_their_weighted_mean():
    method, shares = brick_method()
    observations = [Observation(code, (Part(wear=D(0)),)) for code in BRICK if code != "roof"]
    # roof structure 40 (all of 21–40), roofing 21 → 20: mean 30, 30·4/100 = 1.2 → 1.
    observations += [one("roof_structure", "r3", "r4"), one("roofing", "t2")]
    result = wear_calculate(methodology=method, observations=observations, shares=shares)
    mean = next(s for s in result.steps if s.rule == "share_mean")
    assert (mean.element, mean.value) == ("roof", D(30))
    assert result.building == D(1)


def test_building_wear_waits_for_every_share():
    method, shares = brick_method()
    result = wear_calculate(
        methodology=method, observations=[Observation("walls", (Part(wear=D(40)),))], shares=shares
    )
    assert result.building is None
    assert result.elements[0].wear == D(40)
    assert (
        "walls" not in result.missing
        and "foundations" in result.missing
        and "roof" in result.missing
    )


def test_an_override_needs_a_reason_and_keeps_the_calculated_value():
    with pytest.raises(CalculationError) as error:
        wear_calculate(methodology=METHOD, observations=[one("walls", "a", override=D(50))])
    assert (error.value.code, error.value.field) == (
        "override_without_reason",
        "elements[0].reason",
    )
    result = wear_calculate(
        methodology=METHOD,
        observations=[one("walls", "a", override=D(50), reason="Свежие трещины")],
    )
    wear = result.elements[0]
    assert (wear.wear, wear.calculated, wear.overridden) == (D(50), D(30), True)
    assert result.steps[-1].rule == "element_overridden"


@pytest.mark.parametrize(
    ("observations", "code", "field"),
    [
        ([], "no_observations", "elements"),
        ([one("chimney", "a")], "unknown_element", "elements[0].element"),
        ([one("walls", "zzz")], "unknown_sign", "elements[0].parts[0].signs"),
        ([one("walls")], "nothing_observed", "elements[0].parts[0]"),
        ([Observation("walls", ())], "no_parts", "elements[0].parts"),
        (
            [Observation("walls", (Part(D(0), ("a",)),))],
            "size_not_positive",
            "elements[0].parts[0].size",
        ),
        (
            [Observation("walls", (Part(wear=D(101)),))],
            "wear_out_of_range",
            "elements[0].parts[0].wear",
        ),
        (
            [Observation("walls", (Part(signs=("a",), wear=D(5)),))],
            "signs_and_wear",
            "elements[0].parts[0]",
        ),
        ([one("walls", "a"), one("walls", "b")], "element_twice", "elements[1].element"),
    ],
)
def test_observations_the_methodology_cannot_read_are_refused(observations, code, field):
    with pytest.raises(CalculationError) as error:
        wear_calculate(methodology=METHOD, observations=observations)
    assert (error.value.code, error.value.field) == (code, field)


def test_a_memo_of_element_results_gives_the_same_result_and_is_reused():
    method, shares = brick_method()
    observations = [Observation(code, (Part(wear=D(30)),)) for code in BRICK if code != "roof"]
    observations += [
        Observation("roof_structure", (Part(signs=("r1",)),)),
        Observation("roofing", (Part(D(2), wear=D(50)), Part(D(1), wear=D(20)))),
    ]
    plain = wear_calculate(methodology=method, observations=observations, shares=shares)
    memo: dict = {}
    first = wear_calculate(methodology=method, observations=observations, shares=shares, memo=memo)
    assert len(memo) == len(observations)
    again = wear_calculate(methodology=method, observations=observations, shares=shares, memo=memo)
    assert plain == first == again
    assert len(memo) == len(observations)
