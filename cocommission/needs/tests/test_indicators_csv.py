"""Reading indicator CSV files, without a database: every problem named with its line."""

from decimal import Decimal

import pytest

from cocommission.needs import indicator_csv as csvmod
from cocommission.needs.indicator_csv import FileChecker, FileProblem, Row, Stored

HEADER = "indicator,source,geography_code,geography_name,period,value,unit,lower_ci,upper_ci"


def rows_of(text: str) -> list[Row | list[csvmod.Problem]]:
    header, records = csvmod.split(text)
    return [csvmod.parse_row(line, cells, header) for line, cells in records]


def messages(result: Row | list[csvmod.Problem]) -> list[str]:
    assert isinstance(result, list), result
    return [p.message for p in result]


class TestTheFile:
    def test_an_empty_file_is_refused(self):
        with pytest.raises(FileProblem) as caught:
            csvmod.decode(b"  \r\n")
        assert caught.value.messages == ["The selected file is empty"]

    def test_a_binary_file_is_refused(self):
        with pytest.raises(FileProblem, match="not text"):
            csvmod.decode(b"%PDF-1.7\x00\x01")

    def test_a_file_not_saved_as_utf8_is_refused(self):
        with pytest.raises(FileProblem, match="CSV UTF-8"):
            csvmod.decode("indicator,place\nLonely,Gwynedd Môn\n".encode("cp1252"))

    def test_a_byte_order_mark_is_ignored(self):
        text = csvmod.decode(("\ufeff" + HEADER + "\n").encode())
        header, _records = csvmod.split(text)
        assert header.positions["indicator"] == 0

    def test_a_header_without_rows_has_no_values(self):
        with pytest.raises(FileProblem, match="no rows of values"):
            csvmod.count_rows(HEADER + "\r\n\r\n")

    def test_rows_are_counted_without_blank_lines(self):
        assert csvmod.count_rows(csvmod.SAMPLE_CSV + "\r\n\r\n") == 5


class TestTheHeader:
    def test_a_missing_column_is_named(self):
        with pytest.raises(FileProblem) as caught:
            csvmod.split("indicator,source,geography_code,geography_name,period,value\nx,y,z,w,2023,1\n")
        assert caught.value.messages == [
            "Line 1 must name the columns: indicator, source, geography_code, geography_name, period, value, unit, "
            "and optionally lower_ci and upper_ci. Missing: unit"
        ]

    def test_unknown_and_repeated_columns_are_named(self):
        with pytest.raises(FileProblem) as caught:
            csvmod.split("indicator,source,geography_code,geography_name,period,value,unit,unit,colour\n")
        assert caught.value.messages == ["Line 1: the column unit is named twice", "Line 1: unknown column colour"]

    def test_a_data_row_where_the_header_should_be_is_refused(self):
        with pytest.raises(FileProblem, match="Missing: indicator, source"):
            csvmod.split("Lonely adults,Survey,E06000001,Brackenmoor,2023,21.5,percent\n")

    def test_columns_may_come_in_any_order_and_case_and_limits_are_optional(self):
        text = (
            "Value,Unit,Period,Geography Name,geography_code,Source,Indicator\n"
            "21.5,Percentage,2023,Brackenmoor,e06000001,S,Lonely\n"
        )
        (row,) = rows_of(text)
        assert row == Row(
            line=2,
            indicator="Lonely",
            source="S",
            geography_code="E06000001",
            geography_name="Brackenmoor",
            period="2023",
            value=Decimal("21.5000"),
            unit="percent",
            lower_ci=None,
            upper_ci=None,
        )


class TestARow:
    def line(self, **changes: str) -> str:
        values = {
            "indicator": "Lonely",
            "source": "Survey",
            "geography_code": "E06000001",
            "geography_name": "Brackenmoor",
            "period": "2023",
            "value": "21.5",
            "unit": "percent",
            "lower_ci": "19.8",
            "upper_ci": "23.1",
        } | changes
        return HEADER + "\n" + ",".join(f'"{values[c]}"' for c in csvmod.COLUMNS) + "\n"

    def test_a_good_row(self):
        (row,) = rows_of(self.line(value="1,234.56789", lower_ci="1,000", upper_ci="2000"))
        assert isinstance(row, Row)
        assert (row.value, row.lower_ci, row.upper_ci) == (Decimal("1234.5679"), Decimal("1000"), Decimal("2000"))

    def test_a_value_that_is_not_a_number(self):
        (result,) = rows_of(self.line(value="n/a", lower_ci="", upper_ci=""))
        assert messages(result) == ["Line 2: the value must be a number, like 21.5 (it is “n/a”)"]

    def test_a_missing_value(self):
        (result,) = rows_of(self.line(value="", lower_ci="", upper_ci=""))
        assert messages(result) == ["Line 2: enter the value (leave the row out if there is none)"]

    @pytest.mark.parametrize("bad", ["1e5", "NaN", "Infinity", "12,34", "--1", "1.2.3", "£5", "1000000000000"])
    def test_numbers_people_do_not_mean(self, bad):
        with pytest.raises(ValueError):
            csvmod.parse_number(bad)

    def test_an_unknown_unit(self):
        (result,) = rows_of(self.line(unit="furlongs"))
        assert messages(result) == [
            "Line 2: the unit “furlongs” is not known. Use one of percent, per_1000, per_100000, count, years, "
            "pounds, ratio, score"
        ]

    @pytest.mark.parametrize(
        ("typed", "unit"), [("PERCENT", "percent"), ("Rate per 100,000", "per_100000"), ("%", "percent")]
    )
    def test_units_by_value_or_label(self, typed, unit):
        assert csvmod.parse_unit(typed) == unit

    def test_limits_either_side_of_the_value(self):
        (result,) = rows_of(self.line(lower_ci="22", upper_ci="20"))
        assert messages(result) == [
            "Line 2: the lower confidence limit must not be more than the value",
            "Line 2: the upper confidence limit must not be less than the value",
        ]

    def test_a_limit_that_is_not_a_number(self):
        (result,) = rows_of(self.line(upper_ci="high"))
        assert messages(result) == ["Line 2: the upper confidence limit must be a number, like 23.1 (it is “high”)"]

    def test_every_missing_text_is_named(self):
        (result,) = rows_of(self.line(indicator="", source=" ", geography_code="", geography_name="", period=""))
        assert messages(result) == [
            "Line 2: enter the indicator",
            "Line 2: enter the source",
            "Line 2: enter the geography code",
            "Line 2: enter the geography name",
            "Line 2: enter the period",
        ]

    def test_text_too_long_for_its_column(self):
        (result,) = rows_of(self.line(geography_code="E" * 21))
        assert messages(result) == ["Line 2: the geography code must be 20 characters or fewer"]

    def test_too_many_values(self):
        (result,) = rows_of(HEADER + "\nLonely,S,E1,B,2023,1,count,,,surprise\n")
        assert messages(result) == ["Line 2 has 10 values but line 1 names 9 columns"]

    def test_a_quoted_line_break_keeps_the_line_numbers_of_later_rows(self):
        text = HEADER + '\n"Lonely\nadults",S,E1,B,2023,1,count,,\nLonely adults,S,E1,B,2023,x,count,,\n'
        first, second = rows_of(text)
        assert isinstance(first, Row) and first.indicator == "Lonely adults"
        assert messages(second) == ["Line 4: the value must be a number, like 21.5 (it is “x”)"]


class TestRowsTogether:
    def row(self, line: int, **changes: object) -> Row:
        values: dict = {
            "line": line,
            "indicator": "Lonely",
            "source": "S",
            "geography_code": "E1",
            "geography_name": "Brackenmoor",
            "period": "2023",
            "value": Decimal(1),
            "unit": "percent",
            "lower_ci": None,
            "upper_ci": None,
        } | changes
        return Row(**values)

    def test_a_duplicate_place_and_period_in_the_file(self):
        checker = FileChecker()
        assert checker.check(self.row(2)) == []
        assert checker.check(self.row(3, period="2024")) == []
        assert [p.message for p in checker.check(self.row(7, indicator="LONELY"))] == [
            "Line 7: LONELY already has a value for Brackenmoor (E1) in 2023, on line 2"
        ]

    def test_one_unit_per_indicator_in_the_file(self):
        checker = FileChecker()
        checker.check(self.row(2))
        assert [p.message for p in checker.check(self.row(3, period="2024", unit="count"))] == [
            "Line 3: the unit of Lonely is Percentage on line 2, not Count"
        ]

    def test_a_value_already_stored(self):
        stored = Stored(units={"lonely": "percent"}, keys=frozenset({("lonely", "E1", "2023")}))
        assert [p.message for p in csvmod.check_against_stored(self.row(5), stored)] == [
            "Line 5: Lonely already has a stored value for Brackenmoor (E1) in 2023"
        ]
        assert csvmod.check_against_stored(self.row(6, period="2024"), stored) == []

    def test_an_existing_indicators_unit_must_match(self):
        stored = Stored(units={"lonely": "percent"}, keys=frozenset())
        assert [p.message for p in csvmod.check_against_stored(self.row(5, unit="count"), stored)] == [
            "Line 5: Lonely is already stored in Percentage, so its unit must be percent, not count"
        ]


def test_the_sample_file_reads_without_a_problem():
    results = rows_of(csvmod.SAMPLE_CSV)
    assert all(isinstance(r, Row) for r in results)
    checker = FileChecker()
    assert [p for r in results if isinstance(r, Row) for p in checker.check(r)] == []
