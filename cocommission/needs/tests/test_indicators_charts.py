"""The geometry of an indicator chart: axes, lines, markers and the text description."""

from decimal import Decimal

import pytest

from cocommission.needs import charts

D = Decimal


def test_periods_in_time_order_as_published():
    assert charts.sorted_periods(["2021", "2019/20", "2020 Q2", "2019", "2020 Q1", "2019"]) == [
        "2019",
        "2019/20",
        "2020 Q1",
        "2020 Q2",
        "2021",
    ]
    assert charts.sorted_periods(["2022/23", "2010/11", "2009/10"]) == ["2009/10", "2010/11", "2022/23"]


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (D("21.5000"), "percent", "21.5%"),
        (D("12345.0000"), "count", "12,345"),
        (D("-1500.5000"), "pounds", "-£1,500.5"),
        (D("78.2000"), "years", "78.2 years"),
        (D("0.0000"), "per_1000", "0"),
    ],
)
def test_values_are_written_for_people(value, unit, text):
    assert charts.format_value(value, unit) == text


@pytest.mark.parametrize(("span", "step"), [(10, 2), (97, 20), (0.35, 0.1), (1, 0.2), (4300, 1000)])
def test_round_steps(span, step):
    assert charts.nice_step(span) == pytest.approx(step)


def test_positive_figures_start_at_zero_unless_bunched_far_from_it():
    assert charts.value_range([D(3), D(9)])[0] == 0
    low, high, step = charts.value_range([D("78.1"), D("83.9")])
    assert (low, high, step) == (78, 84, 2)


def test_a_single_value_gets_room_around_it():
    low, high, _step = charts.value_range([D(5), D(5)])
    assert low < 5 < high


def chart(**overrides):
    series = [
        ("Brackenmoor", {"2021": D(20), "2022": D(22), "2023": D(25)}),
        ("Fellside", {"2021": D(10), "2023": D(12)}),
    ]
    args = {"name": "Lonely adults", "unit": "percent", "periods": ["2021", "2022", "2023"], "series": series}
    return charts.line_chart(**(args | overrides))


def test_lines_run_left_to_right_and_higher_values_sit_higher():
    c = chart()
    brackenmoor, fellside = c.lines
    xs = [p.x for p in brackenmoor.points]
    assert xs == sorted(xs) and c.left < xs[0] and xs[-1] < c.right
    ys = [p.y for p in brackenmoor.points]
    assert ys == sorted(ys, reverse=True)  # 20 < 22 < 25: each higher up the page
    assert all(c.top <= y <= c.bottom for line in c.lines for y in [p.y for p in line.points])
    assert fellside.points[0].y > brackenmoor.points[0].y


def test_a_missing_period_breaks_the_line():
    _brackenmoor, fellside = chart().lines
    assert fellside.path.count("M") == 2 and "L" not in fellside.path


def test_lines_differ_without_colour():
    series = [(f"Place {n}", {"2023": D(n)}) for n in range(10)]
    lines = charts.line_chart(name="x", unit="count", periods=["2023"], series=series).lines
    looks = {(line.marker, line.dash) for line in lines}
    assert len(looks) == len(lines)


def test_axis_ticks_are_round_and_labelled():
    c = chart()
    assert [t.label for t in c.y_ticks] == ["0", "5", "10", "15", "20", "25"]
    assert [t.label for t in c.x_ticks] == ["2021", "2022", "2023"]
    assert c.unit_label == "Percentage"


def test_many_periods_label_only_some_of_them():
    periods = [str(year) for year in range(2000, 2024)]
    c = charts.line_chart(name="x", unit="count", periods=periods, series=[("A", {p: D(1) for p in periods})])
    labels = [t.label for t in c.x_ticks]
    assert len(labels) <= charts.MAX_X_LABELS + 1 and labels[0] == "2000" and labels[-1] == "2023"


def test_the_description_says_what_the_chart_shows():
    assert chart().description == (
        "Line chart of Lonely adults (Percentage), 2 places, 2021 to 2023. "
        "Brackenmoor: 20% in 2021, 25% in 2023 (up). Fellside: 10% in 2021, 12% in 2023 (up)."
    )
    assert (
        "12% in 2021."
        in charts.line_chart(name="x", unit="percent", periods=["2021"], series=[("A", {"2021": D(12)})]).description
    )


def test_nothing_to_show():
    c = chart(series=[("Brackenmoor", {})])
    assert c.empty and c.description == "Lonely adults: no values to show."


def test_every_point_says_what_it_is():
    (first, *_rest), _fellside = (line.points for line in chart().lines)
    assert first.text == "Brackenmoor, 2021: 20%"
    assert first.marker.startswith("M")
