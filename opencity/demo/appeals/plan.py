"""How many demo appeals a day, in which categories and at which hours: seasons and weekdays."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random

from opencity.demo.appeals import texts

# Kazan: ~1,000 appeals a day for ~6,000 apartment buildings.
APPEALS_PER_BUILDING_DAY = 1000 / 6000
HOUR_CUMULATIVE = list(itertools.accumulate(texts.HOURS))


def weighted_index(rng: random.Random, cumulative: list[float]) -> int:
    """Draw an index by cumulative weights."""
    return bisect.bisect(cumulative, rng.random() * cumulative[-1])


def weighted(rng: random.Random, pairs) -> str:
    """Draw a value from (value, weight) pairs."""
    return pairs[weighted_index(rng, list(itertools.accumulate(w for _, w in pairs)))][0]


class PlanMixin:
    """The daily plan of appeals: counts by day, category weights, moments of filing."""

    def _season(self, group: str, month: int) -> float:
        return texts.SEASON.get(group, (1.0,) * 12)[month - 1]

    def _daily_plan(self):
        plan = list(self._daily_plan_raw())
        if self.total is None:
            return plan
        # Exactly `total` appeals (the bench asks for a scale), shaped by the same seasons.
        planned = sum(count for _day, count, _weights in plan) or 1
        scaled, carry = [], 0.0
        for day, count, weights in plan:
            carry += count * self.total / planned
            whole = int(carry)
            carry -= whole
            scaled.append((day, whole, weights))
        if scaled and carry > 0.5:
            day, count, weights = scaled[-1]
            scaled[-1] = (day, count + 1, weights)
        return scaled

    def _daily_plan_raw(self):
        per_day = (
            self.per_day
            if self.per_day is not None
            else APPEALS_PER_BUILDING_DAY * len(self.buildings)
        )
        mean_season = (
            sum(
                sum(info.weight * self._season(info.group, month) for info in self.categories)
                for month in range(1, 13)
            )
            / 12
        )
        last_day = self.until.astimezone(self.tz).date()
        for offset in range(self.days - 1, -1, -1):
            day = last_day - dt.timedelta(days=offset)
            weights = [
                info.weight * self._season(info.group, day.month) for info in self.categories
            ]
            # Heating start (~1 October in Kazan): the first days bring a surge of heating calls.
            if day.month == 10 and day.day <= 7:
                weights = [
                    w * (3.0 if info.group == "heating" else 1.0)
                    for w, info in zip(weights, self.categories, strict=True)
                ]
            expected = per_day * texts.WEEKDAY[day.weekday()] * sum(weights) / mean_season
            count = max(0, round(self.rng.gauss(expected, math.sqrt(expected) + 0.01)))
            yield day, count, list(itertools.accumulate(weights))

    def _moment(self, day: dt.date) -> dt.datetime:
        hour = weighted_index(self.rng, HOUR_CUMULATIVE)
        local = dt.datetime.combine(day, dt.time(hour), tzinfo=self.tz)
        return (local + dt.timedelta(seconds=self.rng.randrange(3600))).astimezone(dt.UTC)
