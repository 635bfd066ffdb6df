"""The calculation's steps and refusals in words, in the reader's language: the one home of
every sentence the derivation shows."""

from __future__ import annotations

from django.utils.translation import gettext as _

from opencity.inspections.calculation import CalculationError, Step


def _num(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def error_message(error: CalculationError) -> str:
    """Say what the calculation could not read and what to send instead."""
    messages = {
        "no_observations": _("Send at least one element with what was observed."),
        "unknown_element": _("There is no element “%(element)s” in this methodology."),
        "element_twice": _("The element “%(element)s” is sent twice: send its parts in one entry."),
        "no_parts": _("Send at least one part of the element."),
        "nothing_observed": _("Tick the signs of damage observed or give the part's wear."),
        "signs_and_wear": _("Give either the signs observed or the wear, not both."),
        "unknown_sign": _("The sign “%(sign)s” is not one of this element's signs of damage."),
        "size_not_positive": _("The size of a part must be greater than zero."),
        "wear_out_of_range": _("Wear is a percentage from 0 to 100."),
        "override_without_reason": _("Say why the calculated wear is overridden."),
    }
    return messages.get(error.code, _("These observations cannot be read.")) % error.params


def step_text(step: Step, *, elements: dict[str, str], shares: dict[str, str]) -> str:
    """One step of the derivation as a sentence (elements, shares: their codes to their names)."""
    names = shares if step.rule in ("share_mean", "building_sum") else elements
    i = {
        key: _num(value) if not isinstance(value, (list, bool, str)) else value
        for key, value in step.inputs.items()
    }
    p = {"element": names.get(step.element, step.element), "value": _num(step.value), **i}
    if step.part is not None:
        p["part"] = step.part + 1
    texts = {
        "part_estimated": _("%(element)s, part %(part)s: wear estimated directly, %(value)s %%."),
        "band_all_signs": _(
            "%(element)s, part %(part)s: all %(total)s signs of the %(lower)s–%(upper)s %% band → its top, %(value)s %%."
        ),
        "band_one_sign": _(
            "%(element)s, part %(part)s: one sign of %(total)s of the %(lower)s–%(upper)s %% band → its bottom, "
            "%(value)s %%."
        ),
        "band_interpolated": _(
            "%(element)s, part %(part)s: %(seen)s signs of %(total)s of the %(lower)s–%(upper)s %% band → "
            "%(lower)s + (%(upper)s − %(lower)s)·(%(seen)s − 1)/(%(total)s − 1) = %(value)s %%."
        ),
        "part_rounded": _(
            "%(element)s, part %(part)s: %(raw)s %% rounded to %(step)s %% → %(value)s %%."
        ),
        "parts_weighted": _(
            "%(element)s: parts weighted by size, Фк = Σ Фi·Pi / Pк = %(terms)s = %(value)s %%."
        ),
        "element_rounded": _("%(element)s: %(raw)s %% rounded to %(step)s %% → %(value)s %%."),
        "element_overridden": _(
            "%(element)s: the calculated %(calculated)s %% is overridden with %(value)s %%: %(reason)s"
        ),
        "share_mean": _("%(element)s: mean of its elements by weight = %(value)s %%."),
        "building_sum": _("Building: Фз = Σ Фк·li / 100 = %(terms)s = %(value)s %%."),
        "building_rounded": _("Building: %(raw)s %% rounded to %(step)s %% → %(value)s %%."),
    }
    if step.rule == "parts_weighted":
        parts = step.inputs["parts"]
        summed = " + ".join(f"{_num(v)}·{_num(s)}" for v, s in parts)
        p["terms"] = f"({summed}) / {_num(step.inputs['total_size'])}"
    if step.rule == "building_sum":
        p["terms"] = " + ".join(
            f"{_num(w)}·{_num(li)}/100 ({names.get(code, code)})"
            for code, w, li in step.inputs["terms"]
        )
    return texts.get(step.rule, step.rule) % p
