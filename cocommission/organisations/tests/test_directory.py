"""The public directory: search, filters, pagination, and a query count that does not grow with rows."""

from decimal import Decimal
from typing import Any, cast

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocommission.organisations.models import Area, Organisation
from cocommission.organisations.selectors.organisations import directory_organisations
from cocommission.organisations.tests.factories import AreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")


def organisation(name: str, **fields: Any) -> Organisation:
    return cast(Organisation, OrganisationFactory(name=name, **fields))


def area(**fields: Any) -> Area:
    return cast(Area, AreaFactory(**fields))


@pytest.fixture
def place() -> dict[str, Any]:
    north = area(name="Northgate", slug="northgate")
    south = area(name="Southmoor", slug="southmoor")
    icb = organisation("Brackenmoor Integrated Care Board", statutory=True)
    icb.areas_served.set([north, south])
    pantry = organisation("Theatre Pantry", latest_annual_income=Decimal("4000"))
    pantry.areas_served.set([north])
    housing = organisation("Moorside Housing and Care", kind="private", latest_annual_income=Decimal("25000000"))
    housing.areas_served.set([south])
    return {"north": north, "south": south, "icb": icb, "pantry": pantry, "housing": housing}


def names(response: Any) -> list[str]:
    return [o.name for o in response.context["page"].object_list]


def test_everyone_sees_the_directory_with_public_fields(client: Client, place: dict[str, Any]) -> None:
    response = client.get(DIRECTORY)
    html = response.content.decode()
    assert response.status_code == 200
    assert names(response) == ["Brackenmoor Integrated Care Board", "Moorside Housing and Care", "Theatre Pantry"]
    assert "3 organisations" in html
    assert "Micro (under £10,000)" in html and "Major (£10 million or more)" in html
    assert "Northgate, Southmoor" in html
    assert "25000000" not in html and "25,000,000" not in html  # exact income stays private


def test_search_by_part_of_the_name_ignoring_case(client: Client, place: dict[str, Any]) -> None:
    assert names(client.get(DIRECTORY, {"q": "PANTRY"})) == ["Theatre Pantry"]
    assert names(client.get(DIRECTORY, {"q": "moor"})) == [
        "Brackenmoor Integrated Care Board",
        "Moorside Housing and Care",
    ]


def test_filters_by_kind_income_band_and_area(client: Client, place: dict[str, Any]) -> None:
    assert names(client.get(DIRECTORY, {"kind": ["statutory", "private"]})) == [
        "Brackenmoor Integrated Care Board",
        "Moorside Housing and Care",
    ]
    assert names(client.get(DIRECTORY, {"income_band": "micro"})) == ["Theatre Pantry"]
    assert names(client.get(DIRECTORY, {"income_band": "unknown"})) == ["Brackenmoor Integrated Care Board"]
    assert names(client.get(DIRECTORY, {"area": "northgate"})) == [
        "Brackenmoor Integrated Care Board",
        "Theatre Pantry",
    ]
    # An organisation serving both chosen areas is listed once.
    assert (
        names(client.get(DIRECTORY, {"area": ["northgate", "southmoor"]})).count("Brackenmoor Integrated Care Board")
        == 1
    )
    assert names(client.get(DIRECTORY, {"area": "southmoor", "kind": "vcse"})) == []


def test_chosen_filters_stay_ticked(client: Client, place: dict[str, Any]) -> None:
    html = client.get(DIRECTORY, {"kind": "vcse", "area": "northgate", "q": "Thea"}).content.decode()
    assert 'value="vcse" checked' in html and 'value="northgate" checked' in html and 'value="Thea"' in html


def test_an_unknown_filter_value_is_reported_and_the_rest_still_apply(client: Client, place: dict[str, Any]) -> None:
    response = client.get(DIRECTORY, {"kind": "spaceship", "q": "pantry"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select kinds of organisation from the list" in html
    assert names(response) == ["Theatre Pantry"]


def test_no_results_says_what_to_try(client: Client, place: dict[str, Any]) -> None:
    html = client.get(DIRECTORY, {"q": "zzz"}).content.decode()
    assert "0 organisations found" in html and "No organisations match your search." in html
    assert "remove some of the filters" in html


def test_an_empty_directory_says_so(client: Client) -> None:
    assert "No organisations are listed yet." in client.get(DIRECTORY).content.decode()


def test_pages_of_20_keep_the_filters(client: Client) -> None:
    for n in range(45):
        organisation(f"Group {n:02d}")
    organisation("Outsider", kind="private")
    first = client.get(DIRECTORY, {"kind": "vcse"})
    assert len(first.context["page"].object_list) == 20
    assert first.context["page"].paginator.count == 45
    assert "?kind=vcse&amp;page=2" in first.content.decode()
    last = client.get(DIRECTORY, {"kind": "vcse", "page": "3"})
    assert names(last) == [f"Group {n:02d}" for n in range(40, 45)]


def test_the_query_count_does_not_grow_with_rows(client: Client, django_assert_num_queries: Any) -> None:
    areas = [area() for _ in range(3)]
    params: dict[str, Any] = {"area": [a.slug for a in areas], "kind": "vcse"}

    def add(count: int) -> None:
        for _ in range(count):
            organisation("Org").areas_served.set(areas)

    def queries_for_one_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(DIRECTORY, params)
        assert response.status_code == 200
        return len(captured.captured_queries)

    add(2)
    few = queries_for_one_page()
    add(18)
    with django_assert_num_queries(few):
        client.get(DIRECTORY, params)
    assert few <= 5  # count, page, areas for the filter, areas of the rows, the session


def test_the_selector_combines_filters(place: dict[str, Any]) -> None:
    result = directory_organisations(search="moor", kinds=["statutory"], areas=[place["south"]])
    assert list(result) == [place["icb"]]
    assert isinstance(place["north"], Area)
