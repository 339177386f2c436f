"""Reads for the indicator pages: the list, an indicator's chart and table, and its imports."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Min, QuerySet

from cocommission.accounts.models import User
from cocommission.partnerships.models import Partnership

from ..charts import Chart, format_value, line_chart, sorted_periods
from ..models import Indicator, IndicatorImport, IndicatorValue
from ..permissions import can_import

# A chart of more lines than this is hard to read: by default it compares the first few places.
DEFAULT_PLACES = 6


def indicator_list(partnership: Partnership) -> QuerySet[Indicator]:
    """The partnership's indicators with how many places and which periods they cover, in one query."""
    return (
        Indicator.objects.filter(partnership=partnership)
        .annotate(
            place_count=Count("values__geography_code", distinct=True),
            value_count=Count("values"),
            first_period=Min("values__period"),
            last_period=Max("values__period"),
        )
        .order_by("name", "pk")
    )


def recent_imports(partnership: Partnership, limit: int = 10) -> list[IndicatorImport]:
    return list(
        IndicatorImport.objects.filter(partnership=partnership)
        .select_related("uploaded_by")
        .order_by("-created_at", "-id")[:limit]
    )


def indicator_values(indicator: Indicator) -> list[IndicatorValue]:
    return list(IndicatorValue.objects.filter(indicator=indicator).order_by("geography_name", "geography_code"))


def places_and_periods(values: Iterable[IndicatorValue]) -> tuple[list[tuple[str, str]], list[str]]:
    """Every place (code, name) by name, and every period in time order."""
    places: dict[str, str] = {}
    periods: list[str] = []
    for v in values:
        places.setdefault(v.geography_code, v.geography_name)
        periods.append(v.period)
    return sorted(places.items(), key=lambda item: (item[1].casefold(), item[0])), sorted_periods(periods)


@dataclass(frozen=True)
class Cell:
    value: str
    limits: str  # "19.8 to 23.1", or "" without confidence limits


@dataclass(frozen=True)
class PlaceRow:
    code: str
    name: str
    cells: tuple[Cell | None, ...]  # one per period shown; None where there is no value


@dataclass(frozen=True)
class IndicatorView:
    indicator: Indicator
    places: list[tuple[str, str]]  # every place
    periods: list[str]  # every period
    chosen_places: list[str]  # codes shown
    shown_periods: list[str]
    rows: list[PlaceRow]
    chart: Chart
    has_limits: bool

    @property
    def some_places_hidden(self) -> bool:
        return len(self.chosen_places) < len(self.places)


def _cell(value: IndicatorValue, unit: str) -> Cell:
    limits = ""
    if value.lower_ci is not None or value.upper_ci is not None:
        low = format_value(value.lower_ci, unit) if value.lower_ci is not None else "not given"
        high = format_value(value.upper_ci, unit) if value.upper_ci is not None else "not given"
        limits = f"{low} to {high}"
    return Cell(value=format_value(value.value, unit), limits=limits)


def indicator_view(
    indicator: Indicator,
    values: Sequence[IndicatorValue],
    *,
    places: Sequence[str] | None = None,
    period_from: str = "",
    period_to: str = "",
    width: int = 640,
    height: int = 360,
) -> IndicatorView:
    """The chart and the table of the chosen places over the chosen periods (by default the
    first few places and every period). No queries: `values` are all the indicator's values."""
    all_places, all_periods = places_and_periods(values)
    wanted = set(places or ())
    chosen = [code for code, _name in all_places if code in wanted]
    chosen = chosen or [code for code, _name in all_places[:DEFAULT_PLACES]]
    start = all_periods.index(period_from) if period_from in all_periods else 0
    end = all_periods.index(period_to) if period_to in all_periods else len(all_periods) - 1
    if start > end:
        start, end = end, start
    shown = all_periods[start : end + 1]
    by_place: dict[str, dict[str, IndicatorValue]] = {}
    for v in values:
        if v.geography_code in chosen and v.period in shown:
            by_place.setdefault(v.geography_code, {})[v.period] = v
    names = dict(all_places)
    rows = [
        PlaceRow(
            code=code,
            name=names[code],
            cells=tuple(
                _cell(by_place[code][p], indicator.unit) if p in by_place.get(code, {}) else None for p in shown
            ),
        )
        for code in chosen
    ]
    series: list[tuple[str, dict[str, Decimal]]] = [
        (names[code], {p: v.value for p, v in by_place.get(code, {}).items()}) for code in chosen
    ]
    chart = line_chart(
        name=indicator.name, unit=indicator.unit, periods=shown, series=series, width=width, height=height
    )
    has_limits = any(cell is not None and cell.limits for row in rows for cell in row.cells)
    return IndicatorView(
        indicator=indicator,
        places=all_places,
        periods=all_periods,
        chosen_places=chosen,
        shown_periods=shown,
        rows=rows,
        chart=chart,
        has_limits=has_limits,
    )


def indicator_views(indicators: Sequence[Indicator], *, width: int = 420, height: int = 300) -> list[IndicatorView]:
    """Charts and tables for several indicators (a priority's evidence), in one query."""
    values: dict[int, list[IndicatorValue]] = {i.pk: [] for i in indicators}
    for v in IndicatorValue.objects.filter(indicator__in=[i.pk for i in indicators]).order_by(
        "geography_name", "geography_code"
    ):
        values[v.indicator_id].append(v)
    return [indicator_view(i, values[i.pk], width=width, height=height) for i in indicators]


@dataclass(frozen=True)
class ImportProgress:
    record: IndicatorImport
    running: bool
    percent: int
    text: str  # "1,200 of 5,000 rows checked"
    problems: list[dict[str, object]]  # {"line": n or None, "message": ...}
    problem_count: int


def import_progress(record: IndicatorImport) -> ImportProgress:
    running = record.status in (IndicatorImport.Status.WAITING, IndicatorImport.Status.CHECKING)
    total = record.total_rows
    done = min(record.processed_rows, total)
    problems = [e for e in record.errors if isinstance(e, dict)]
    return ImportProgress(
        record=record,
        running=running,
        percent=(done * 100 // total) if total else 0,
        text=f"{done:,} of {total:,} row{'s' if total != 1 else ''} checked",
        problems=problems,
        problem_count=sum(int(e.get("more") or 1) for e in problems),
    )


def partnership_for_command(slug: str) -> Partnership | None:
    """The partnership `manage.py import_indicators --partnership` names (the command line is
    run by the people who run the service, so it needs no access check of its own)."""
    return Partnership.objects.filter(slug=slug).first()


def importer_for_command(email: str, partnership: Partnership) -> User | None:
    """The person `--by` names, when they may import into the partnership."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not can_import(user, partnership):
        return None
    return user
