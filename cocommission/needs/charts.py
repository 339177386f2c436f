"""The geometry of an indicator's line chart: one line per place over the periods.

No database and no drawing here: `line_chart` works out where every axis tick, line and marker
goes, and the template writes the SVG. Lines differ by colour, dash pattern and marker shape,
so they can be told apart without seeing colour.
"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .models.indicators import Unit

# Colours with at least 3:1 contrast against white (WCAG 2.2, non-text contrast).
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#912b88", "#505a5f", "#0b0c0c", "#8a5300")
DASHES = ("", "8 4", "2 3", "10 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Point:
    period: str
    value: Decimal
    x: float
    y: float
    text: str  # "Brackenmoor, 2023: 21.5%"
    marker: str  # the SVG path of the marker


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    dash: str
    marker: str
    path: str
    points: tuple[Point, ...]
    swatch_marker: str  # the marker drawn in the key, at (15, 8) in a 30 by 16 box


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...]
    unit_label: str
    description: str

    @property
    def empty(self) -> bool:
        return not any(line.points for line in self.lines)

    @property
    def middle_x(self) -> float:
        return round((self.left + self.right) / 2, 1)

    @property
    def middle_y(self) -> float:
        """Where the rotated y-axis title goes (rotated by -90 degrees, so negative)."""
        return round(-(self.top + self.bottom) / 2, 1)

    @property
    def y_label_x(self) -> float:
        return round(self.left - 8, 1)

    @property
    def x_label_y(self) -> float:
        return round(self.bottom + 22, 1)

    @property
    def x_title_y(self) -> float:
        return round(self.height - 6.0, 1)


def period_sort_key(period: str) -> tuple[tuple[int, int | str], ...]:
    """Periods in time order, as published: 2019 < 2019/20 < 2020 Q1 < 2020 Q2 < 2021."""
    parts = re.findall(r"\d+|[A-Za-z]+", period)
    return tuple((0, int(p)) if p.isdigit() else (1, p.casefold()) for p in parts) or ((1, period),)


def sorted_periods(periods: Sequence[str]) -> list[str]:
    return sorted(set(periods), key=lambda p: (period_sort_key(p), p))


def format_number(value: Decimal) -> str:
    """21.5000 -> 21.5; 12345 -> 12,345; never scientific notation."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(value: Decimal, unit: str) -> str:
    number = format_number(value)
    if unit == Unit.PERCENT:
        return f"{number}%"
    if unit == Unit.POUNDS:
        return f"-£{number[1:]}" if number.startswith("-") else f"£{number}"
    if unit == Unit.YEARS:
        return f"{number} years"
    return number


def nice_step(span: float, count: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `count` intervals."""
    if span <= 0:
        return 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def value_range(values: Sequence[Decimal]) -> tuple[float, float, float]:
    """The axis's low and high ends and its step. Starts at zero for positive figures that are
    not all bunched far from it, so a small change does not look like a large one."""
    low, high = float(min(values)), float(max(values))
    if low >= 0 and low <= high / 2:
        low = 0.0
    if math.isclose(low, high):
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
        if float(min(values)) >= 0:
            low = max(low, 0.0)
    step = nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step))) if step < 1 else 0


def marker_path(shape: str, x: float, y: float, r: float = 4.5) -> str:
    if shape == "square":
        s = r * 0.9
        return f"M{x - s:.1f} {y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}z"
    if shape == "triangle":
        return f"M{x:.1f} {y - r - 1:.1f}L{x + r + 0.5:.1f} {y + r - 0.5:.1f}L{x - r - 0.5:.1f} {y + r - 0.5:.1f}z"
    if shape == "diamond":
        return f"M{x:.1f} {y - r - 1:.1f}L{x + r + 1:.1f} {y:.1f}L{x:.1f} {y + r + 1:.1f}L{x - r - 1:.1f} {y:.1f}z"
    return f"M{x - r:.1f} {y:.1f}a{r} {r} 0 1 0 {2 * r:.1f} 0a{r} {r} 0 1 0 {-2 * r:.1f} 0"


def describe(name: str, unit: str, periods: Sequence[str], series: Sequence[tuple[str, Mapping[str, Decimal]]]) -> str:
    """The chart in words, for people who cannot see it."""
    shown = [(place, values) for place, values in series if values]
    if not shown or not periods:
        return f"{name}: no values to show."
    span = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
    places = "1 place" if len(shown) == 1 else f"{len(shown)} places"
    sentences = [f"Line chart of {name} ({unit_label(unit)}), {places}, {span}."]
    for place, values in shown:
        ordered = [p for p in periods if p in values]
        first, last = ordered[0], ordered[-1]
        if first == last:
            sentences.append(f"{place}: {format_value(values[first], unit)} in {first}.")
        else:
            change = "up" if values[last] > values[first] else "down" if values[last] < values[first] else "unchanged"
            sentences.append(
                f"{place}: {format_value(values[first], unit)} in {first}, {format_value(values[last], unit)} "
                f"in {last} ({change})."
            )
    return " ".join(sentences)


def unit_label(unit: str) -> str:
    return str(Unit(unit).label) if unit in Unit.values else unit


def line_chart(
    *,
    name: str,
    unit: str,
    periods: Sequence[str],
    series: Sequence[tuple[str, Mapping[str, Decimal]]],
    width: int = 640,
    height: int = 360,
) -> Chart:
    """Where everything goes on a chart of `series` (place name, {period: value}) over
    `periods` (already in time order)."""
    left, right, top, bottom = 72.0, width - 24.0, 20.0, height - 48.0
    values = [v for _place, by_period in series for p, v in by_period.items() if p in periods]
    if not values or not periods:
        return Chart(
            width, height, left, right, top, bottom, (), (), (), unit_label(unit), describe(name, unit, [], [])
        )
    low, high, step = value_range(values)
    decimals = _decimals(step)

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    if len(periods) == 1:
        x_of = {periods[0]: (left + right) / 2}
    else:
        gap = (right - left - 24) / (len(periods) - 1)
        x_of = {p: left + 12 + i * gap for i, p in enumerate(periods)}
    every = math.ceil(len(periods) / MAX_X_LABELS)
    x_ticks = tuple(
        Tick(round(x_of[p], 1), p) for i, p in enumerate(periods) if i % every == 0 or i == len(periods) - 1
    )
    y_ticks = tuple(
        Tick(round(y_of(low + i * step), 1), f"{low + i * step:,.{decimals}f}")
        for i in range(round((high - low) / step) + 1)
    )
    lines = []
    for index, (place, by_period) in enumerate(series):
        shape = MARKERS[index % len(MARKERS)]
        points = tuple(
            Point(
                period=p,
                value=by_period[p],
                x=round(x_of[p], 1),
                y=round(y_of(float(by_period[p])), 1),
                text=f"{place}, {p}: {format_value(by_period[p], unit)}",
                marker=marker_path(shape, x_of[p], y_of(float(by_period[p]))),
            )
            for p in periods
            if p in by_period
        )
        # A missing period breaks the line rather than joining across it.
        commands, previous = [], -2
        for point in points:
            position = periods.index(point.period)
            commands.append(f"{'L' if position == previous + 1 else 'M'}{point.x:.1f} {point.y:.1f}")
            previous = position
        lines.append(
            Line(
                name=place,
                colour=COLOURS[index % len(COLOURS)],
                dash=DASHES[(index // len(MARKERS)) % len(DASHES)],
                marker=shape,
                path="".join(commands),
                points=points,
                swatch_marker=marker_path(shape, 15, 8, 3.5),
            )
        )
    return Chart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        lines=tuple(lines),
        unit_label=unit_label(unit),
        description=describe(name, unit, periods, series),
    )
