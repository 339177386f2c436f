"""Reading a CSV file of indicator values, with every problem named by its line.

No database here: `services/indicators.py` reads the stored indicators and values once, hands
them to `check_against_stored`, and saves the rows only when no line has a problem.

The columns, in any order (the first line names them):
indicator, source, geography_code, geography_name, period, value, unit, and optionally lower_ci
and upper_ci (the confidence limits).
"""

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .models.indicators import Unit

COLUMNS = (
    "indicator",
    "source",
    "geography_code",
    "geography_name",
    "period",
    "value",
    "unit",
    "lower_ci",
    "upper_ci",
)
OPTIONAL_COLUMNS = frozenset({"lower_ci", "upper_ci"})
REQUIRED_COLUMNS = tuple(c for c in COLUMNS if c not in OPTIONAL_COLUMNS)
COLUMN_HELP = {
    "indicator": "The name of the indicator, like Adults who feel lonely often or always",
    "source": "Where the figures come from, like Active Lives Survey",
    "geography_code": "The code of the place, like E06000001",
    "geography_name": "The name of the place, like Brackenmoor",
    "period": "The period as published, like 2023 or 2022/23",
    "value": "The value, as a number, like 21.5",
    "unit": "One of: " + ", ".join(f"{value} ({label})" for value, label in Unit.choices),
    "lower_ci": "Optional: the lower confidence limit, a number no higher than the value",
    "upper_ci": "Optional: the upper confidence limit, a number no lower than the value",
}
# Longest text each column can hold (the model's field lengths).
MAX_LENGTHS = {"indicator": 200, "source": 300, "geography_code": 20, "geography_name": 200, "period": 20}
# Values are stored with 4 decimal places and up to 12 whole digits.
PLACES = Decimal("0.0001")
LIMIT = Decimal(10) ** 12
# Thousands separators are allowed ("12,345.6"); nothing else but digits, a sign and a point.
NUMBER = re.compile(r"[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?")
_UNITS: dict[str, str] = {}
for _value, _label in Unit.choices:
    _UNITS[_value.casefold()] = _value
    _UNITS[str(_label).casefold()] = _value
_UNITS["%"] = Unit.PERCENT

SAMPLE_CSV = (
    "indicator,source,geography_code,geography_name,period,value,unit,lower_ci,upper_ci\r\n"
    "Adults who feel lonely often or always,Community Life Survey,E06000001,Brackenmoor,2022/23,7.2,percent,6.1,8.4\r\n"
    "Adults who feel lonely often or always,Community Life Survey,E06000001,Brackenmoor,2023/24,7.9,percent,6.8,9.1\r\n"
    "Adults who feel lonely often or always,Community Life Survey,E07000002,Fellside,2022/23,6.4,percent,5.0,7.9\r\n"
    "Adults who feel lonely often or always,Community Life Survey,E07000002,Fellside,2023/24,6.1,percent,4.8,7.6\r\n"
    "Emergency admissions for falls aged 65 and over,Hospital Episode Statistics,E06000001,Brackenmoor,2023/24,"
    "2213,per_100000,2120,2309\r\n"
)


class FileProblem(ValueError):
    """Something wrong with the whole file (not one row): nothing in it can be read."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class Row:
    line: int
    indicator: str
    source: str
    geography_code: str
    geography_name: str
    period: str
    value: Decimal
    unit: str
    lower_ci: Decimal | None
    upper_ci: Decimal | None

    @property
    def key(self) -> tuple[str, str, str]:
        """What must be unique: one value per indicator, place and period."""
        return (self.indicator.casefold(), self.geography_code, self.period)


@dataclass(frozen=True)
class Header:
    line: int
    positions: dict[str, int]  # column name -> index in each row
    width: int


def unit_label(unit: str) -> str:
    return str(Unit(unit).label) if unit in Unit.values else unit


def decode(data: bytes) -> str:
    """The file's text. Spreadsheets save CSV as UTF-8, often with a byte order mark."""
    if not data.strip():
        raise FileProblem(["The selected file is empty"])
    if b"\x00" in data:
        raise FileProblem(["The selected file must be a CSV file: this one is not text"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            ["The selected file must be saved as CSV UTF-8. In your spreadsheet, choose Save as, then CSV UTF-8"]
        ) from exc


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each record, skipping blank lines. A record with a quoted line
    break inside is numbered by the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileProblem([f"Line {start}: the line cannot be read as CSV ({exc})"]) from exc
        if any(cell.strip() for cell in cells):
            yield start, cells
        start = reader.line_num + 1


def read_header(cells: list[str], line: int = 1) -> Header:
    names = [cell.strip().lower().replace(" ", "_") for cell in cells]
    problems: list[str] = []
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            problems.append(f"Line {line}: the column {name} is named twice")
        seen.add(name)
    unknown = [n for n in names if n and n not in COLUMNS]
    if unknown:
        problems.append(f"Line {line}: unknown column{'s' if len(unknown) > 1 else ''} " + ", ".join(unknown))
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        problems.append(
            f"Line {line} must name the columns: {', '.join(REQUIRED_COLUMNS)}, and optionally lower_ci and "
            f"upper_ci. Missing: {', '.join(missing)}"
        )
    if problems:
        raise FileProblem(problems)
    return Header(line=line, positions={n: i for i, n in enumerate(names) if n}, width=len(names))


def split(text: str) -> tuple[Header, Iterator[tuple[int, list[str]]]]:
    """The header and an iterator over the records after it. Raises FileProblem for a file
    with no header or no rows."""
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise FileProblem(["The selected file is empty"])
    header = read_header(first[1], first[0])
    return header, records


def count_rows(text: str) -> int:
    """How many rows of values the file has (after checking its header)."""
    _header, records = split(text)
    total = sum(1 for _ in records)
    if total == 0:
        raise FileProblem(["The file has no rows of values under its first line"])
    return total


def parse_number(raw: str) -> Decimal:
    """A number as people type it in a spreadsheet: 21.5, -3, 12,345.6. Raises ValueError."""
    text = raw.strip()
    if not text or not NUMBER.fullmatch(text) or not any(ch.isdigit() for ch in text):
        raise ValueError(text)
    try:
        number = Decimal(text.replace(",", "")).quantize(PLACES, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if abs(number) >= LIMIT:
        raise ValueError(text)
    return number


def parse_unit(raw: str) -> str | None:
    return _UNITS.get(raw.strip().casefold())


def _text(cells: list[str], header: Header, name: str) -> str:
    index = header.positions.get(name)
    if index is None or index >= len(cells):
        return ""
    return " ".join(cells[index].split())


def _number(line: int, label: str, raw: str, problems: list[Problem], example: str) -> Decimal | None:
    try:
        return parse_number(raw)
    except ValueError:
        problems.append(Problem(line, f"Line {line}: the {label} must be a number, like {example} (it is “{raw}”)"))
        return None


def parse_row(line: int, cells: list[str], header: Header) -> Row | list[Problem]:
    """One record as a Row, or every problem with it."""
    problems: list[Problem] = []
    if len(cells) > header.width and any(c.strip() for c in cells[header.width :]):
        return [
            Problem(line, f"Line {line} has {len(cells)} values but line {header.line} names {header.width} columns")
        ]
    values = {name: _text(cells, header, name) for name in COLUMNS}
    for name in ("indicator", "source", "geography_code", "geography_name", "period"):
        if not values[name]:
            problems.append(Problem(line, f"Line {line}: enter the {name.replace('_', ' ')}"))
        elif len(values[name]) > MAX_LENGTHS[name]:
            problems.append(
                Problem(
                    line, f"Line {line}: the {name.replace('_', ' ')} must be {MAX_LENGTHS[name]} characters or fewer"
                )
            )
    unit = parse_unit(values["unit"])
    if not values["unit"]:
        problems.append(Problem(line, f"Line {line}: enter the unit, one of {', '.join(Unit.values)}"))
    elif unit is None:
        problems.append(
            Problem(line, f"Line {line}: the unit “{values['unit']}” is not known. Use one of {', '.join(Unit.values)}")
        )
    value: Decimal | None = None
    if not values["value"]:
        problems.append(Problem(line, f"Line {line}: enter the value (leave the row out if there is none)"))
    else:
        value = _number(line, "value", values["value"], problems, "21.5")
    lower = (
        _number(line, "lower confidence limit", values["lower_ci"], problems, "19.8") if values["lower_ci"] else None
    )
    upper = (
        _number(line, "upper confidence limit", values["upper_ci"], problems, "23.1") if values["upper_ci"] else None
    )
    if value is not None:
        if lower is not None and lower > value:
            problems.append(Problem(line, f"Line {line}: the lower confidence limit must not be more than the value"))
        if upper is not None and upper < value:
            problems.append(Problem(line, f"Line {line}: the upper confidence limit must not be less than the value"))
    if problems or value is None or unit is None:
        return problems
    return Row(
        line=line,
        indicator=values["indicator"],
        source=values["source"],
        geography_code=values["geography_code"].upper(),
        geography_name=values["geography_name"],
        period=values["period"],
        value=value,
        unit=unit,
        lower_ci=lower,
        upper_ci=upper,
    )


class FileChecker:
    """Checks rows against the rows before them in the same file: one value per indicator,
    place and period, and one unit per indicator."""

    def __init__(self) -> None:
        self._lines: dict[tuple[str, str, str], int] = {}
        self._units: dict[str, tuple[str, int]] = {}

    def check(self, row: Row) -> list[Problem]:
        problems: list[Problem] = []
        earlier = self._lines.get(row.key)
        if earlier is not None:
            problems.append(
                Problem(
                    row.line,
                    f"Line {row.line}: {row.indicator} already has a value for {row.geography_name} "
                    f"({row.geography_code}) in {row.period}, on line {earlier}",
                )
            )
        else:
            self._lines[row.key] = row.line
        unit, unit_line = self._units.setdefault(row.indicator.casefold(), (row.unit, row.line))
        if unit != row.unit:
            problems.append(
                Problem(
                    row.line,
                    f"Line {row.line}: the unit of {row.indicator} is {unit_label(unit)} on line {unit_line}, "
                    f"not {unit_label(row.unit)}",
                )
            )
        return problems


@dataclass(frozen=True)
class Stored:
    """What the partnership already has: each indicator's unit, by its name (casefolded), and
    the indicator, place and period of every stored value."""

    units: Mapping[str, str]
    keys: frozenset[tuple[str, str, str]]


def check_against_stored(row: Row, stored: Stored) -> list[Problem]:
    problems: list[Problem] = []
    unit = stored.units.get(row.indicator.casefold())
    if unit is not None and unit != row.unit:
        problems.append(
            Problem(
                row.line,
                f"Line {row.line}: {row.indicator} is already stored in {unit_label(unit)}, "
                f"so its unit must be {unit}, not {row.unit}",
            )
        )
    if row.key in stored.keys:
        problems.append(
            Problem(
                row.line,
                f"Line {row.line}: {row.indicator} already has a stored value for {row.geography_name} "
                f"({row.geography_code}) in {row.period}",
            )
        )
    return problems
