"""Importing indicator files through the service, the task worker and the command line: good
files, bad files (nothing imported), large files with progress, and races."""

import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from cocommission.core.models import AuditEvent
from cocommission.needs.indicator_csv import Stored
from cocommission.needs.models import Indicator, IndicatorImport, IndicatorValue
from cocommission.needs.services import indicators as service
from cocommission.needs.tasks import import_indicators_task

from .factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db

HEADER = "indicator,source,geography_code,geography_name,period,value,unit,lower_ci,upper_ci"


def csv_file(*lines: str, header: str = HEADER) -> ContentFile:
    return ContentFile(("\r\n".join([header, *lines]) + "\r\n").encode(), name="values.csv")


def line(indicator="Lonely adults", code="E1", place="Brackenmoor", period="2023", value="21.5", unit="percent"):
    return ",".join(f'"{cell}"' for cell in (indicator, "Survey", code, place, period, value, unit, "", ""))


def many(count: int, indicator: str = "Lonely adults") -> list[str]:
    return [line(indicator=indicator, code=f"E{n}", place=f"Place {n}") for n in range(count)]


def upload(partnership, actor, *lines: str, header: str = HEADER, **kwargs) -> IndicatorImport:
    return service.start_import(actor=actor, partnership=partnership, upload=csv_file(*lines, header=header), **kwargs)


def problems(record: IndicatorImport) -> list[str]:
    return [e["message"] for e in record.errors]


class TestAGoodFile:
    def test_every_row_is_imported_with_new_indicators(self, partnership, cora):
        record = upload(
            partnership,
            cora,
            "Lonely adults,Survey,e1,Brackenmoor,2022,20.1,percent,18.0,22.2",
            line(period="2023"),
            line(indicator="Falls aged 65+", value="2,213", unit="Rate per 100,000"),
        )
        assert (record.status, record.total_rows, record.processed_rows, record.imported_rows) == ("done", 3, 3, 3)
        assert record.errors == [] and record.uploaded_by == cora
        lonely, falls = Indicator.objects.filter(partnership=partnership).order_by("name").reverse()
        assert (lonely.slug, lonely.unit, lonely.source, lonely.is_demo) == (
            "lonely-adults",
            "percent",
            "Survey",
            False,
        )
        assert (falls.slug, falls.unit) == ("falls-aged-65", "per_100000")
        first = IndicatorValue.objects.get(indicator=lonely, period="2022")
        assert (first.geography_code, first.value, first.lower_ci, first.upper_ci) == (
            "E1",
            Decimal("20.1"),
            Decimal("18"),
            Decimal("22.2"),
        )
        assert first.imported_by == record

    def test_the_import_and_new_indicators_are_audited_for_the_partnership(self, partnership, cora):
        record = upload(partnership, cora, line())
        events = AuditEvent.objects.filter(partnership_id=partnership.pk)
        assert set(events.values_list("object_type", "action")) == {
            ("needs.indicatorimport", "create"),
            ("needs.indicatorimport", "update"),
            ("needs.indicator", "create"),
        }
        update = events.get(object_type="needs.indicatorimport", action="update")
        assert update.object_id == str(record.pk) and update.changes["status"] == ["checking", "done"]

    def test_new_values_join_an_existing_indicator_by_name(self, partnership, cora):
        existing = IndicatorFactory.create(partnership=partnership, name="Lonely adults", unit="percent")
        IndicatorValueFactory.create(indicator=existing, geography_code="E1", period="2022")
        record = upload(partnership, cora, line(indicator="lonely ADULTS", period="2023"))
        assert record.status == "done"
        assert Indicator.objects.filter(partnership=partnership).count() == 1
        assert existing.values.count() == 2

    def test_the_same_values_may_go_to_another_partnership(self, partnership, cora):
        other = IndicatorFactory.create(name="Lonely adults")
        IndicatorValueFactory.create(indicator=other, geography_code="E1", period="2023")
        assert upload(partnership, cora, line()).status == "done"

    def test_slugs_never_shadow_the_fixed_pages(self, partnership, cora):
        upload(partnership, cora, line(indicator="Upload"), line(indicator="Imports"))
        assert set(Indicator.objects.values_list("slug", flat=True)) == {"upload-2", "imports-2"}

    def test_demo_values_are_labelled(self, partnership):
        upload(partnership, None, line(), demo=True)
        assert Indicator.objects.get().is_demo


class TestABadFile:
    """Nothing is imported from a file with any problem; each is listed with its line."""

    def assert_nothing_imported(self, partnership):
        assert (
            not IndicatorValue.objects.filter(indicator__partnership=partnership)
            .exclude(indicator__name="Stored")
            .exists()
        )
        assert not Indicator.objects.filter(partnership=partnership).exclude(name="Stored").exists()

    def test_a_bad_row(self, partnership, cora):
        record = upload(partnership, cora, *many(5), line(value="lots", code="X1"), *many(3, indicator="Other"))
        assert record.status == "failed" and record.processed_rows == 9 and record.imported_rows == 0
        assert problems(record) == ["Line 7: the value must be a number, like 21.5 (it is “lots”)"]
        assert record.errors[0]["line"] == 7
        self.assert_nothing_imported(partnership)

    def test_an_unknown_unit(self, partnership, cora):
        record = upload(partnership, cora, line(unit="people"))
        assert record.status == "failed"
        assert problems(record) == [
            "Line 2: the unit “people” is not known. Use one of percent, per_1000, per_100000, count, years, "
            "pounds, ratio, score"
        ]
        self.assert_nothing_imported(partnership)

    def test_a_duplicate_period_in_the_file(self, partnership, cora):
        record = upload(partnership, cora, line(), line(code="E2"), line(value="30"))
        assert problems(record) == ["Line 4: Lonely adults already has a value for Brackenmoor (E1) in 2023, on line 2"]
        self.assert_nothing_imported(partnership)

    def test_a_period_already_stored(self, partnership, cora):
        stored = IndicatorFactory.create(partnership=partnership, name="Stored", unit="count")
        IndicatorValueFactory.create(indicator=stored, geography_code="E1", geography_name="Brackenmoor", period="2023")
        record = upload(
            partnership, cora, line(period="2024", indicator="Stored", unit="count"), line("Stored", unit="count")
        )
        assert problems(record) == ["Line 3: Stored already has a stored value for Brackenmoor (E1) in 2023"]
        assert stored.values.count() == 1
        self.assert_nothing_imported(partnership)

    def test_an_existing_indicator_in_another_unit(self, partnership, cora):
        IndicatorFactory.create(partnership=partnership, name="Stored", unit="percent")
        record = upload(partnership, cora, line(indicator="Stored", unit="count"))
        assert problems(record) == [
            "Line 2: Stored is already stored in Percentage, so its unit must be percent, not count"
        ]
        self.assert_nothing_imported(partnership)

    def test_a_bad_header_is_refused_before_anything_is_stored(self, partnership, cora):
        with pytest.raises(ValidationError) as caught:
            upload(partnership, cora, line(), header="name,place,year,number")
        assert "Missing: indicator, source, geography_code" in caught.value.message_dict["file"][-1]
        assert "unknown columns name, place, year, number" in caught.value.message_dict["file"][0]
        assert not IndicatorImport.objects.exists()

    def test_an_empty_file_is_refused(self, partnership, cora):
        with pytest.raises(ValidationError) as caught:
            service.start_import(actor=cora, partnership=partnership, upload=ContentFile(b"", name="empty.csv"))
        assert caught.value.message_dict == {"file": ["The selected file is empty"]}
        assert not IndicatorImport.objects.exists()

    def test_a_header_with_no_rows_is_refused(self, partnership, cora):
        with pytest.raises(ValidationError, match="no rows of values"):
            upload(partnership, cora)

    def test_a_file_too_large(self, partnership, cora, settings):
        settings.MAX_UPLOAD_BYTES = 100
        with pytest.raises(ValidationError) as caught:
            upload(partnership, cora, *many(5))
        assert caught.value.message_dict == {"file": ["The selected file must be smaller than 1KB"]}

    def test_a_file_wrong_throughout_lists_its_first_problems(self, partnership, cora, monkeypatch):
        monkeypatch.setattr(service, "MAX_PROBLEMS", 10)
        record = upload(partnership, cora, *[line(value="x", code=f"E{n}") for n in range(25)])
        assert len(record.errors) == 11
        assert record.errors[-1] == {"line": None, "message": "And 15 more problems", "more": 15}


class TestLargeFiles:
    def test_a_large_file_waits_for_the_worker_then_imports(
        self, partnership, cora, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr(service, "INLINE_ROWS", 5)
        monkeypatch.setattr(service, "PROGRESS_EVERY", 2)
        seen: list[int] = []
        original = service._progress

        def progress(record, done):
            seen.append(done)
            original(record, done)

        monkeypatch.setattr(service, "_progress", progress)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            record = upload(partnership, cora, *many(7))
        assert record.status == "waiting" and record.total_rows == 7 and len(callbacks) == 1
        callbacks[0]()  # the worker picks it up (the test backend runs tasks at once)
        record.refresh_from_db()
        assert (record.status, record.processed_rows, record.imported_rows) == ("done", 7, 7)
        assert seen == [2, 4, 6]

    def test_running_an_import_twice_imports_it_once(self, partnership, cora):
        record = service.create_import(actor=cora, partnership=partnership, upload=csv_file(line()))
        assert import_indicators_task.enqueue(import_id=record.pk).return_value == "done"
        assert import_indicators_task.enqueue(import_id=record.pk).return_value == ""
        assert IndicatorValue.objects.count() == 1

    def test_a_clash_with_an_import_saved_at_the_same_moment_imports_nothing(self, partnership, cora, monkeypatch):
        stored = IndicatorFactory.create(partnership=partnership, name="Lonely adults")
        IndicatorValueFactory.create(indicator=stored, geography_code="E1", period="2023")
        # As if the other import saved its values after this one had checked the stored ones.
        monkeypatch.setattr(service, "_stored", lambda p: Stored(units={}, keys=frozenset()))
        record = upload(partnership, cora, line(period="2022"), line())
        assert record.status == "failed" and problems(record) == [service.RACE_MESSAGE]
        assert stored.values.count() == 1


class TestTheCommandLine:
    def path(self, tmp_path, *lines: str, header: str = HEADER):
        target = tmp_path / "values.csv"
        target.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
        return str(target)

    def test_a_good_file(self, partnership, cora, tmp_path):
        out = StringIO()
        call_command(
            "import_indicators", self.path(tmp_path, line()), partnership=partnership.slug, by=cora.email, stdout=out
        )
        assert "Imported 1 values from values.csv into Brackenmoor Together." in out.getvalue()
        assert IndicatorImport.objects.get().uploaded_by == cora

    def test_a_bad_file_prints_each_problem_with_its_line_and_fails(self, partnership, tmp_path):
        err = StringIO()
        with pytest.raises(CommandError, match=r"Nothing was imported from values\.csv: 2 problems"):
            call_command(
                "import_indicators",
                self.path(tmp_path, line(), line(unit="stones", code="E2"), line()),
                partnership=partnership.slug,
                stderr=err,
            )
        assert err.getvalue().splitlines() == [
            "Line 3: the unit “stones” is not known. Use one of percent, per_1000, per_100000, count, years, pounds, "
            "ratio, score",
            "Line 4: Lonely adults already has a value for Brackenmoor (E1) in 2023, on line 2",
        ]
        assert not IndicatorValue.objects.exists()

    def test_a_bad_header_fails(self, partnership, tmp_path):
        err = StringIO()
        with pytest.raises(CommandError, match="Nothing was imported"):
            call_command(
                "import_indicators", self.path(tmp_path, "x", header="a,b"), partnership=partnership.slug, stderr=err
            )
        assert "Missing: indicator" in err.getvalue()

    def test_an_unknown_partnership_or_file(self, partnership, tmp_path):
        with pytest.raises(CommandError, match="There is no partnership nowhere"):
            call_command("import_indicators", self.path(tmp_path, line()), partnership="nowhere")
        with pytest.raises(CommandError, match="cannot be read"):
            call_command("import_indicators", str(tmp_path / "missing.csv"), partnership=partnership.slug)

    def test_only_coordinators_and_platform_admins_import(self, partnership, alice, pat, tmp_path):
        with pytest.raises(CommandError, match=r"alice@example\.org is not a coordinator of Brackenmoor Together"):
            call_command("import_indicators", self.path(tmp_path, line()), partnership=partnership.slug, by=alice.email)
        call_command(
            "import_indicators",
            self.path(tmp_path, line()),
            partnership=partnership.slug,
            by=pat.email,
            stdout=StringIO(),
        )
        assert IndicatorImport.objects.get().uploaded_by == pat


@pytest.mark.django_db(transaction=True)
class TestRacesOnPostgreSQL:
    """SQLite serialises writers itself, so these races are only interesting on PostgreSQL."""

    def run_together(self, count: int, work) -> list[object]:
        barrier = threading.Barrier(count)
        results: list[object] = []

        def go(n: int) -> None:
            try:
                barrier.wait()
                results.append(work(n))
            finally:
                connection.close()

        threads = [threading.Thread(target=go, args=(n,)) for n in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def test_a_task_run_many_times_at_once_imports_once(self, partnership, cora):
        if connection.vendor != "postgresql":
            pytest.skip("SQLite serialises writers itself")
        record = service.create_import(actor=cora, partnership=partnership, upload=csv_file(*many(50)))
        results = self.run_together(8, lambda n: service.run_import(import_id=record.pk))
        assert sum(1 for r in results if r is not None) == 1
        assert IndicatorValue.objects.count() == 50

    def test_two_files_with_the_same_values_at_once_import_one(self, partnership, cora):
        if connection.vendor != "postgresql":
            pytest.skip("SQLite serialises writers itself")
        records = [
            service.create_import(actor=cora, partnership=partnership, upload=csv_file(*many(50))) for _ in range(2)
        ]
        self.run_together(2, lambda n: service.run_import(import_id=records[n].pk))
        statuses = sorted(IndicatorImport.objects.values_list("status", flat=True))
        assert statuses == ["done", "failed"]
        assert IndicatorValue.objects.count() == 50 and Indicator.objects.count() == 1
