"""Indicator pages through the browser's eyes: the list, the chart and table, uploading files
(good, bad, large), the progress page, and who may do what."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocommission.needs.models import IndicatorImport, IndicatorValue
from cocommission.needs.services import indicators as service

from .factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db

HEADER = "indicator,source,geography_code,geography_name,period,value,unit,lower_ci,upper_ci"


def url(name: str, partnership, **kwargs) -> str:
    return reverse(f"needs:{name}", kwargs={"slug": partnership.slug, **kwargs})


def csv_upload(*lines: str, header: str = HEADER) -> SimpleUploadedFile:
    return SimpleUploadedFile("values.csv", ("\n".join([header, *lines]) + "\n").encode(), content_type="text/csv")


def good_lines(count: int) -> list[str]:
    return [f"Lonely adults,Survey,E{n},Place {n},2023,{n}.5,percent,," for n in range(count)]


@pytest.fixture
def indicator(partnership):
    lonely = IndicatorFactory.create(partnership=partnership, name="Lonely adults", slug="lonely-adults")
    for code, name, values in (("E1", "Brackenmoor", ("20.5", "22")), ("E2", "Fellside", ("12", "11.25"))):
        for period, value in zip(("2022/23", "2023/24"), values, strict=True):
            IndicatorValueFactory.create(
                indicator=lonely,
                geography_code=code,
                geography_name=name,
                period=period,
                value=Decimal(value),
                lower_ci=Decimal(value) - 1,
                upper_ci=Decimal(value) + 1,
            )
    return lonely


class TestTheList:
    def test_members_see_the_indicators_and_coordinators_can_upload(self, client, partnership, indicator, bob, cora):
        client.force_login(bob)
        body = client.get(url("indicator_list", partnership)).content.decode()
        assert "Lonely adults" in body and "2022/23 to 2023/24" in body
        assert url("indicator_upload", partnership) not in body
        client.force_login(cora)
        assert url("indicator_upload", partnership) in client.get(url("indicator_list", partnership)).content.decode()

    def test_demo_values_are_labelled(self, client, partnership, bob):
        IndicatorFactory.create(partnership=partnership, is_demo=True)
        client.force_login(bob)
        assert "Demo values" in client.get(url("indicator_list", partnership)).content.decode()

    def test_the_query_count_does_not_grow_with_the_rows(self, client, partnership, bob, django_assert_num_queries):
        def indicators(count: int) -> None:
            for _ in range(count):
                IndicatorValueFactory.create(indicator=IndicatorFactory.create(partnership=partnership))

        client.force_login(bob)
        indicators(2)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url("indicator_list", partnership)).status_code == 200
        indicators(12)
        with django_assert_num_queries(len(few.captured_queries)):
            body = client.get(url("indicator_list", partnership)).content.decode()
        assert body.count("Loneliness in adults") == 14


class TestAnIndicatorPage:
    def test_a_chart_with_a_text_description_and_the_same_figures_as_a_table(
        self, client, partnership, indicator, lena
    ):
        client.force_login(lena)
        body = client.get(url("indicator_detail", partnership, indicator_slug="lonely-adults")).content.decode()
        assert 'role="img"' in body and 'aria-labelledby="indicator-chart-title indicator-chart-desc"' in body
        assert "Brackenmoor: 20.5% in 2022/23, 22% in 2023/24 (up)." in body
        assert "Fellside: 12% in 2022/23, 11.25% in 2023/24 (down)." in body
        assert "<caption" in body and "Lonely adults by place and period (percentage)" in body
        assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">2023/24</th>' in body
        assert "10.25% to 12.25%" in body  # Fellside's 2023/24 confidence limits

    def test_compare_chosen_places_and_periods(self, client, partnership, indicator, lena):
        client.force_login(lena)
        page = client.get(
            url("indicator_detail", partnership, indicator_slug="lonely-adults"),
            {"place": "E2", "period_from": "2023/24", "period_to": "2023/24"},
        )
        view = page.context["view"]
        assert [row.name for row in view.rows] == ["Fellside"] and view.shown_periods == ["2023/24"]
        assert "Showing 1 of 2 places" in page.content.decode()

    def test_periods_the_wrong_way_round_are_refused_and_everything_shown(self, client, partnership, indicator, lena):
        client.force_login(lena)
        page = client.get(
            url("indicator_detail", partnership, indicator_slug="lonely-adults"),
            {"period_from": "2023/24", "period_to": "2022/23"},
        )
        body = page.content.decode()
        assert "The last period must be the same as or after the first period" in body
        assert "<title>Error: " in body and page.context["view"].shown_periods == ["2022/23", "2023/24"]

    def test_a_place_not_in_the_list_is_refused(self, client, partnership, indicator, lena):
        client.force_login(lena)
        page = client.get(url("indicator_detail", partnership, indicator_slug="lonely-adults"), {"place": "XX"})
        assert "Select places from the list" in page.content.decode()

    def test_the_first_places_are_shown_by_default(self, client, partnership, lena):
        many = IndicatorFactory.create(partnership=partnership, slug="many")
        for n in range(8):
            IndicatorValueFactory.create(indicator=many, geography_code=f"E{n}", geography_name=f"Place {n}")
        client.force_login(lena)
        page = client.get(url("indicator_detail", partnership, indicator_slug="many"))
        assert len(page.context["view"].rows) == 6 and "Showing 6 of 8 places" in page.content.decode()
        # The boxes for the places shown are ticked.
        assert page.content.decode().count('name="place" type="checkbox" value="E') == 8
        assert page.content.decode().count("checked") == 6


class TestUploading:
    def test_a_small_file_is_imported_at_once(self, client, partnership, cora):
        client.force_login(cora)
        response = client.post(url("indicator_upload", partnership), {"file": csv_upload(*good_lines(3))}, follow=True)
        record = IndicatorImport.objects.get()
        assert response.redirect_chain[-1][0] == url("indicator_import", partnership, pk=record.pk)
        body = response.content.decode()
        assert "3 values imported from values.csv." in body and "Imported" in body
        assert IndicatorValue.objects.count() == 3

    def test_a_file_with_bad_rows_lists_them_and_imports_nothing(self, client, partnership, cora):
        client.force_login(cora)
        bad = [*good_lines(2), "Lonely adults,Survey,E9,Nine,2023,lots,percent,,", "Other,S,E1,One,2023,1,stones,,"]
        body = client.post(url("indicator_upload", partnership), {"file": csv_upload(*bad)}, follow=True).content
        text = body.decode()
        assert "Nothing was imported" in text and "2 problems found" in text
        assert "Line 4: the value must be a number, like 21.5 (it is “lots”)" in text
        assert "Line 5: the unit “stones” is not known" in text
        assert not IndicatorValue.objects.exists()

    def test_a_bad_header_is_shown_on_the_upload_page(self, client, partnership, cora):
        client.force_login(cora)
        page = client.post(url("indicator_upload", partnership), {"file": csv_upload("x", header="name,value")})
        assert page.status_code == 200 and not IndicatorImport.objects.exists()
        body = page.content.decode()
        assert "There is a problem" in body and "Missing: indicator, source, geography_code" in body

    @pytest.mark.parametrize(
        ("data", "message"),
        [({}, "Select a file"), ({"file": SimpleUploadedFile("empty.csv", b"")}, "The selected file is empty")],
    )
    def test_no_file_or_an_empty_one(self, client, partnership, cora, data, message):
        client.force_login(cora)
        page = client.post(url("indicator_upload", partnership), data)
        assert message in page.content.decode() and not IndicatorImport.objects.exists()

    def test_members_who_do_not_coordinate_cannot_upload(self, client, partnership, alice):
        client.force_login(alice)
        response = client.post(url("indicator_upload", partnership), {"file": csv_upload(*good_lines(1))})
        assert response.status_code == 403 and not IndicatorImport.objects.exists()

    def test_platform_admins_can_upload(self, client, partnership, pat, mfa_off):
        client.force_login(pat)
        client.post(url("indicator_upload", partnership), {"file": csv_upload(*good_lines(1))})
        assert IndicatorImport.objects.get().uploaded_by == pat

    def test_the_page_documents_the_columns_and_offers_a_sample(self, client, partnership, cora):
        client.force_login(cora)
        body = client.get(url("indicator_upload", partnership)).content.decode()
        for column in ("indicator", "geography_code", "lower_ci", "upper_ci"):
            assert f"<code>{column}</code>" in body
        sample = client.get(url("indicator_sample", partnership))
        assert sample["Content-Type"].startswith("text/csv")
        assert sample["Content-Disposition"] == 'attachment; filename="indicators-sample.csv"'
        assert sample.content.decode().startswith(HEADER)


class TestALargeFile:
    def test_progress_is_shown_with_and_without_javascript(
        self, client, partnership, cora, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr(service, "INLINE_ROWS", 5)
        client.force_login(cora)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(url("indicator_upload", partnership), {"file": csv_upload(*good_lines(1200))})
        record = IndicatorImport.objects.get()
        progress_url = url("indicator_import", partnership, pk=record.pk)
        assert response["Location"] == progress_url and record.status == "waiting"
        IndicatorImport.objects.filter(pk=record.pk).update(status="checking", processed_rows=1000)
        body = client.get(progress_url).content.decode()
        assert "1,000 of 1,200 rows checked" in body
        assert '<progress id="import-progress-bar"' in body and 'max="1200" value="1000"' in body
        assert f'hx-get="{progress_url}" hx-trigger="every 2s"' in body
        assert f'<a class="govuk-link" href="{progress_url}">Check progress</a>' in body
        partial = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
        assert "1,000 of 1,200 rows checked" in partial and "<html" not in partial
        IndicatorImport.objects.filter(pk=record.pk).update(status="waiting", processed_rows=0)
        callbacks[0]()  # the worker runs it
        done = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
        assert "hx-get" not in done and "1200 values from 1200 rows" in done
        assert IndicatorValue.objects.count() == 1200
