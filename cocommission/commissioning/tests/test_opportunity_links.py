"""The opportunity page leads each person to their part: managers to the panel, moderation,
decision and record; the panel to their scoring; everyone to the published notices."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocommission.commissioning.models import PsrNotice
from cocommission.commissioning.selectors.opportunity_links import opportunity_links

from .factories import OpportunityFactory, PanelMemberFactory
from .factories_decisions import DecisionRecordFactory, PsrNoticeFactory

pytestmark = pytest.mark.django_db


def _url(name: str, opportunity) -> str:
    return reverse(f"commissioning:{name}", args=[opportunity.slug])


def _page(client, opportunity) -> str:
    response = client.get(_url("opportunity_detail", opportunity))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def scoring(icb, partnership):
    return OpportunityFactory.create(funder=icb, partnership=partnership, scoring=True)


def test_managers_are_led_to_the_panel_moderation_and_decision(client, mfa_off, sid, scoring):
    client.force_login(sid)
    html = _page(client, scoring)
    for name in ("panel", "panel_moderation", "decision", "decision_progress"):
        assert f'href="{_url(name, scoring)}"' in html, name
    assert "Record the decision" in html
    # No record yet, so nothing to read.
    assert _url("decision_record", scoring) not in html
    assert _url("panel_scoring", scoring) not in html


def test_once_recorded_managers_and_the_panel_see_the_decision_record(client, mfa_off, sid, lena, scoring):
    DecisionRecordFactory.create(opportunity=scoring)
    PanelMemberFactory.create(panel__opportunity=scoring, user=lena, lived_experience=True)
    for persona in (sid, lena):
        client.force_login(persona)
        assert f'href="{_url("decision_record", scoring)}"' in _page(client, scoring)
    client.force_login(sid)
    assert "Change the decision" in _page(client, scoring)


def test_a_panel_member_is_led_to_their_scoring_only(client, mfa_off, lena, scoring):
    PanelMemberFactory.create(panel__opportunity=scoring, user=lena, lived_experience=True)
    client.force_login(lena)
    html = _page(client, scoring)
    assert f'href="{_url("panel_scoring", scoring)}"' in html
    for name in ("panel", "panel_moderation", "decision", "decision_progress"):
        assert f'href="{_url(name, scoring)}"' not in html, name


def test_the_chair_is_also_led_to_moderation(client, mfa_off, lena, scoring):
    PanelMemberFactory.create(panel__opportunity=scoring, user=lena, lived_experience=True, is_chair=True)
    client.force_login(lena)
    assert f'href="{_url("panel_moderation", scoring)}"' in _page(client, scoring)


@pytest.mark.parametrize("persona", ["alice", "charlie", "anonymous"])
def test_others_see_no_panel_or_decision_links(client, request, mfa_off, icb, persona):
    opportunity = OpportunityFactory.create(funder=icb, scoring=True)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    html = _page(client, opportunity)
    assert "Panel and decision" not in html
    assert f"{_url('opportunity_detail', opportunity)}panel/" not in html
    assert f"{_url('opportunity_detail', opportunity)}decision" not in html


def test_the_decision_is_not_offered_before_the_panel_s_work(client, mfa_off, sid, icb):
    draft = OpportunityFactory.create(funder=icb)
    client.force_login(sid)
    html = _page(client, draft)
    assert f'href="{_url("panel", draft)}"' in html
    assert _url("decision", draft) not in html
    assert _url("panel_moderation", draft) not in html


def test_everyone_is_led_to_published_notices_as_a_page_and_json(client):
    notice = PsrNoticeFactory.create()
    opportunity = notice.opportunity
    html = _page(client, opportunity)
    page = reverse("commissioning:notice", args=[opportunity.slug, "intention"])
    json = reverse("commissioning:notice_json", args=[opportunity.slug, "intention"])
    assert f'href="{page}"' in html and f'href="{json}"' in html
    assert reverse("commissioning:notice", args=[opportunity.slug, "award"]) not in html


def test_unpublished_notices_are_not_linked(client):
    opportunity = OpportunityFactory.create(psr_most_suitable=True, decided=True)
    assert "Published notices" not in _page(client, opportunity)


def test_the_links_cost_the_same_queries_whatever_is_published(client, mfa_off, sid, icb, django_assert_num_queries):
    one = PsrNoticeFactory.create(opportunity__funder=icb, opportunity__awarded=True)
    two = PsrNoticeFactory.create(opportunity__funder=icb, opportunity__awarded=True)
    PsrNoticeFactory.create(opportunity=two.opportunity, kind=PsrNotice.Kind.AWARD)
    DecisionRecordFactory.create(opportunity=one.opportunity)
    DecisionRecordFactory.create(opportunity=two.opportunity)
    client.force_login(sid)
    client.get(_url("opportunity_detail", one.opportunity))  # warm the session and caches
    with CaptureQueriesContext(connection) as first:
        _page(client, one.opportunity)
    with django_assert_num_queries(len(first.captured_queries)):
        html = _page(client, two.opportunity)
    assert html.count("Download it as JSON") == 2


def test_the_selector_runs_at_most_three_queries(sid, scoring, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        links = opportunity_links(opportunity=scoring, user=sid, is_manager=True)
    assert links.is_manager and links.decision_editable and not links.on_panel
