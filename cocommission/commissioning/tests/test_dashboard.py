"""The dashboard's commissioning sections: your applications and your panels."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import ApplicationFactory, OpportunityFactory, PanelMemberFactory

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("core:dashboard")


def test_your_applications_lists_the_latest_and_links_to_all(client, alice, org_a):
    application = ApplicationFactory.create(organisation=org_a, opportunity__title="Warm spaces grants")
    client.force_login(alice)
    html = client.get(DASHBOARD).content.decode()
    assert "Your applications" in html
    assert f'href="{reverse("commissioning:application_detail", args=[application.pk])}"' in html
    assert "Warm spaces grants" in html
    assert f'href="{reverse("commissioning:application_list")}"' in html


def test_your_applications_when_there_are_none(client, charlie):
    client.force_login(charlie)
    html = client.get(DASHBOARD).content.decode()
    assert "Your organisations have not applied for anything yet." in html


def test_your_panels_leads_to_the_scoring_list(client, mfa_off, lena, icb):
    opportunity = OpportunityFactory.create(funder=icb, scoring=True, title="Befriending grants")
    PanelMemberFactory.create(panel__opportunity=opportunity, user=lena, lived_experience=True, is_chair=True)
    client.force_login(lena)
    html = client.get(DASHBOARD).content.decode()
    assert "Your panels" in html and "Befriending grants" in html
    assert f'href="{reverse("commissioning:panel_scoring", args=[opportunity.slug])}"' in html
    assert "you sit for lived experience and chair it" in html


def test_your_panels_when_there_are_none(client, bob):
    client.force_login(bob)
    assert "You do not sit on any assessment panels." in client.get(DASHBOARD).content.decode()


def test_the_dashboard_queries_do_not_grow_with_applications_or_panels(
    client, mfa_off, alice, org_a, icb, django_assert_max_num_queries
):
    def add_rows(n: int) -> None:
        for _ in range(n):
            ApplicationFactory.create(organisation=org_a)
            PanelMemberFactory.create(
                panel__opportunity=OpportunityFactory.create(funder=icb, scoring=True), user=alice
            )

    add_rows(1)
    client.force_login(alice)
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as few:
        client.get(DASHBOARD)
    add_rows(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(DASHBOARD).content.decode()
    assert html.count('/panel/scoring/"') == 5  # the latest five seats only
