"""Physical wear by ВСН 53-86(р), as a pure function of the methodology and the observations.

No ORM and no translation here: the caller hands in plain dataclasses (a snapshot of one
methodology version, see selectors.methodology_snapshot) and gets back the wear with every step
of its derivation as data; explain.py turns the steps into sentences.

The rules (DOMAIN.md, "Inspections and physical wear"):

- a part's wear comes from the signs of damage observed in it: all signs of a band → the
  band's top, one sign → its bottom, k of n between them → interpolated linearly,
  bottom + (top − bottom)·(k − 1)/(n − 1) (two of three signs of 31–40 % → 35.5 → "about 35");
  signs of several bands: the highest band observed decides (the damage that is worst);
- an element in parts of different condition: Фк = Σ Фi·Pi / Pк, each part's wear rounded to
  the parts' step (10 %) first; an element of one part is rounded to the elements' step (5 %);
- building wear: Фз = Σ Фк·li / 100 over the cost shares of the building type, rounded to the
  building's step (1 %); a share covering several elements takes their weighted mean;
- the condition and the capital-repair class are the grades whose range holds the result.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

HUNDRED = Decimal(100)


# --- the methodology ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A wear band of an element: its range in % and the codes of its signs of damage."""

    lower: int
    upper: int
    signs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Element:
    code: str
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class Share:
    """A share of replacement cost (li, %) covering one or more elements, with their weights."""

    code: str
    percent: Decimal
    elements: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class Grade:
    """A range of building wear with its code: a condition or a capital-repair class."""

    code: str
    lower: int
    upper: int


@dataclass(frozen=True)
class Rounding:
    part: int = 10
    element: int = 5
    building: int = 1


@dataclass(frozen=True)
class Methodology:
    version: str
    elements: tuple[Element, ...]
    conditions: tuple[Grade, ...] = ()
    repair_classes: tuple[Grade, ...] = ()
    rounding: Rounding = Rounding()

    @cached_property
    def _by_code(self) -> dict[str, Element]:
        return {e.code: e for e in self.elements}

    def element(self, code: str) -> Element | None:
        return self._by_code.get(code)


# --- the observations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A part of an element: its size (any unit, the same for all parts) and what was seen.

    Either the codes of the signs observed, or the wear estimated directly (when the band's
    signs are not in the methodology yet)."""

    size: Decimal = Decimal(1)
    signs: tuple[str, ...] = ()
    wear: Decimal | None = None


@dataclass(frozen=True)
class Observation:
    """One element as inspected: its parts, and an override of the result with its reason."""

    element: str
    parts: tuple[Part, ...]
    override: Decimal | None = None
    reason: str = ""


# --- the result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of the derivation: which rule, on what, with which inputs, giving what."""

    rule: str
    value: Decimal
    element: str = ""
    part: int | None = None
    inputs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ElementWear:
    element: str
    wear: Decimal
    calculated: Decimal
    overridden: bool = False


@dataclass(frozen=True)
class Result:
    version: str
    elements: tuple[ElementWear, ...]
    steps: tuple[Step, ...]
    building: Decimal | None = None
    condition: str = ""
    repair_class: str = ""
    missing: tuple[str, ...] = ()


class CalculationError(ValueError):
    """Observations the methodology cannot read; `field` says where, `code` what."""

    def __init__(self, code: str, *, field: str, **params):
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


# --- the rules ----------------------------------------------------------------------------------


def round_to(value: Decimal, step: int) -> Decimal:
    """Round to the nearest multiple of step, halves up (31 → 30 at 5 %, 32.5 → 35)."""
    step_d = Decimal(step)
    return (value / step_d).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step_d


def part_wear(*, element: Element, part: Part, where: str, index: int) -> tuple[Decimal, Step]:
    """Read one part's wear from its signs (or take its direct estimate)."""
    if part.size <= 0:
        raise CalculationError("size_not_positive", field=f"{where}.size")
    if part.wear is not None:
        if part.signs:
            raise CalculationError("signs_and_wear", field=where)
        if not 0 <= part.wear <= HUNDRED:
            raise CalculationError("wear_out_of_range", field=f"{where}.wear")
        step = Step("part_estimated", part.wear, element.code, index, {"size": part.size})
        return part.wear, step
    if not part.signs:
        raise CalculationError("nothing_observed", field=where)
    band_of = {sign: band for band in element.bands for sign in band.signs}
    unknown = [sign for sign in part.signs if sign not in band_of]
    if unknown:
        raise CalculationError("unknown_sign", field=f"{where}.signs", sign=unknown[0])
    band = max({band_of[sign] for sign in part.signs}, key=lambda b: (b.upper, b.lower))
    seen = len({sign for sign in part.signs if band_of[sign] is band})
    total = len(band.signs)
    inputs = {
        "lower": band.lower,
        "upper": band.upper,
        "seen": seen,
        "total": total,
        "size": part.size,
        "other_bands": len({band_of[s] for s in part.signs}) > 1,
    }
    if seen == total:
        return Decimal(band.upper), Step(
            "band_all_signs", Decimal(band.upper), element.code, index, inputs
        )
    if seen == 1:
        return Decimal(band.lower), Step(
            "band_one_sign", Decimal(band.lower), element.code, index, inputs
        )
    value = band.lower + (band.upper - band.lower) * Decimal(seen - 1) / Decimal(total - 1)
    value = value.quantize(Decimal("0.01"))
    return value, Step("band_interpolated", value, element.code, index, inputs)


def element_wear(
    *, methodology: Methodology, observation: Observation, where: str
) -> tuple[ElementWear, list[Step]]:
    """Wear of one element: its parts weighted by size (Фк = Σ Фi·Pi / Pк), rounded."""
    element = methodology.element(observation.element)
    if element is None:
        raise CalculationError(
            "unknown_element", field=f"{where}.element", element=observation.element
        )
    if not observation.parts:
        raise CalculationError("no_parts", field=f"{where}.parts")
    rounding = methodology.rounding
    steps: list[Step] = []
    readings = []
    for index, part in enumerate(observation.parts):
        value, step = part_wear(
            element=element, part=part, where=f"{where}.parts[{index}]", index=index
        )
        steps.append(step)
        readings.append((value, part.size))
    if len(readings) == 1:
        raw = readings[0][0]
    else:
        rounded = []
        for index, (value, size) in enumerate(readings):
            part_rounded = round_to(value, rounding.part)
            steps.append(
                Step(
                    "part_rounded",
                    part_rounded,
                    element.code,
                    index,
                    {"raw": value, "step": rounding.part},
                )
            )
            rounded.append((part_rounded, size))
        total_size = sum(size for _value, size in rounded)
        raw = sum(value * size for value, size in rounded) / total_size
        raw = raw.quantize(Decimal("0.01"))
        steps.append(
            Step(
                "parts_weighted",
                raw,
                element.code,
                inputs={"parts": [(v, s) for v, s in rounded], "total_size": total_size},
            )
        )
    calculated = round_to(raw, rounding.element)
    steps.append(
        Step(
            "element_rounded",
            calculated,
            element.code,
            inputs={"raw": raw, "step": rounding.element},
        )
    )
    if observation.override is None:
        return ElementWear(element.code, calculated, calculated), steps
    if not observation.reason.strip():
        raise CalculationError("override_without_reason", field=f"{where}.reason")
    if not 0 <= observation.override <= HUNDRED:
        raise CalculationError("wear_out_of_range", field=f"{where}.override")
    steps.append(
        Step(
            "element_overridden",
            observation.override,
            element.code,
            inputs={"calculated": calculated, "reason": observation.reason.strip()},
        )
    )
    return ElementWear(element.code, observation.override, calculated, overridden=True), steps


def grade_of(grades: Sequence[Grade], value: Decimal) -> str:
    """The code of the grade whose range holds value ('' when none does)."""
    for grade in grades:
        if grade.lower <= value <= grade.upper:
            return grade.code
    return ""


def wear_calculate(
    *,
    methodology: Methodology,
    observations: Sequence[Observation],
    shares: Sequence[Share] = (),
    memo: dict | None = None,
) -> Result:
    """Compute every observed element's wear and, when all shares are covered, the building's.

    memo: the caller's dict of element results already computed under this methodology (a run
    over many buildings, whose inspectors often record the same observation)."""
    if not observations:
        raise CalculationError("no_observations", field="elements")
    steps: list[Step] = []
    wears: dict[str, ElementWear] = {}
    for index, observation in enumerate(observations):
        where = f"elements[{index}]"
        if observation.element in wears:
            raise CalculationError(
                "element_twice", field=f"{where}.element", element=observation.element
            )
        found = memo.get(observation) if memo is not None else None
        if found is None:
            found = element_wear(methodology=methodology, observation=observation, where=where)
            if memo is not None:
                memo[observation] = found
        wear, element_steps = found
        wears[observation.element] = wear
        steps.extend(element_steps)
    elements = tuple(wears.values())
    if not shares:
        return Result(methodology.version, elements, tuple(steps))
    missing = tuple(
        share.code for share in shares if not any(code in wears for code, _weight in share.elements)
    )
    if missing:
        return Result(methodology.version, elements, tuple(steps), missing=missing)
    total = Decimal(0)
    terms = []
    for share in shares:
        present = [(wears[code].wear, weight) for code, weight in share.elements if code in wears]
        weight_sum = sum(weight for _wear, weight in present)
        share_wear = (sum(w * weight for w, weight in present) / weight_sum).quantize(
            Decimal("0.01")
        )
        if len(share.elements) > 1:
            steps.append(
                Step(
                    "share_mean",
                    share_wear,
                    share.code,
                    inputs={
                        "elements": [
                            (c, wears[c].wear, wt) for c, wt in share.elements if c in wears
                        ]
                    },
                )
            )
        terms.append((share.code, share_wear, share.percent))
        total += share_wear * share.percent / HUNDRED
    total = total.quantize(Decimal("0.01"))
    steps.append(Step("building_sum", total, inputs={"terms": terms}))
    building = round_to(total, methodology.rounding.building)
    steps.append(
        Step(
            "building_rounded",
            building,
            inputs={"raw": total, "step": methodology.rounding.building},
        )
    )
    return Result(
        methodology.version,
        elements,
        tuple(steps),
        building=building,
        condition=grade_of(methodology.conditions, building),
        repair_class=grade_of(methodology.repair_classes, building),
    )
