"""Notice pages and JSON (public once published, draft for managers), publishing, representations."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cocommission.commissioning.models import PsrNotice, Representation
from cocommission.commissioning.routes import State
from cocommission.commissioning.services.decisions import save_decision
from cocommission.commissioning.services.transitions import move_opportunity

from .factories import OpportunityFactory
from .factories_decisions import RepresentationFactory, award_all, provider, provider_application, psr_opportunity

pytestmark = pytest.mark.django_db

NOTICE_KEYS = {
    "schema",
    "notice_type",
    "notice_title",
    "regulations",
    "contract",
    "relevant_authority",
    "providers",
    "description_of_services",
    "approximate_lifetime_value",
    "award_decision_date",
    "decision_makers",
    "reasons",
    "conflicts_of_interest",
    "published_at",
    "status",
}


@pytest.fixture
def decided(sid, icb, partnership):
    opportunity = psr_opportunity(
        "psr_most_suitable", funder=icb, partnership=partnership, named_provider=provider(name="Moor Care")
    )
    application = provider_application(opportunity)
    save_decision(
        actor=sid,
        opportunity=opportunity,
        decision_makers="Sid Shah (ICB)",
        summary="Most suitable against the key criteria.",
        conflicts_summary="",
        items=award_all([application], Decimal("9000")),
    )
    move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    opportunity.refresh_from_db()
    return opportunity


def _notice_url(opportunity, kind="intention", suffix=""):
    return reverse(f"commissioning:notice{suffix}", args=[opportunity.slug, kind])


def test_before_publication_only_managers_see_the_draft_notice(client, mfa_off, request, decided):
    for persona in ("alice", "charlie", "lena", "pat"):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(_notice_url(decided)).status_code == 404, persona
        assert client.get(_notice_url(decided, suffix="_json")).status_code == 404, persona
    client.logout()
    assert client.get(_notice_url(decided)).status_code == 404
    client.force_login(request.getfixturevalue("sid"))
    response = client.get(_notice_url(decided))
    assert response.status_code == 200
    assert "Draft" in response.content.decode()
    assert json.loads(client.get(_notice_url(decided, suffix="_json")).content)["status"] == "draft"


def test_publishing_the_intention_starts_standstill_and_makes_it_public(client, mfa_off, sid, decided):
    client.force_login(sid)
    publish = reverse("commissioning:notice_publish", args=[decided.slug, "intention"])
    assert client.get(publish).status_code == 200
    response = client.post(publish)
    assert response.status_code == 302
    decided.refresh_from_db()
    assert decided.state == State.STANDSTILL
    notice = PsrNotice.objects.get(opportunity=decided)

    client.logout()
    page = client.get(_notice_url(decided))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Notice of intention to award" in html
    assert "Moor Care" in html and "£9,000.00" in html
    assert "Standstill period ends" in html
    assert "Draft" not in html

    data = json.loads(client.get(_notice_url(decided, suffix="_json")).content)
    assert set(data) == NOTICE_KEYS | {"standstill"}
    assert data["status"] == "published"
    assert data["standstill"]["ends_on"] == str(notice.standstill_ends_on)
    assert data["providers"][0]["name"] == "Moor Care"
    assert data["approximate_lifetime_value"] == {
        "amount": "9000.00",
        "currency": "GBP",
        "basis": "The total of the awards, each for the whole term of 1 year.",
    }


def test_publishing_twice_is_refused_with_a_message(client, mfa_off, sid, decided):
    client.force_login(sid)
    publish = reverse("commissioning:notice_publish", args=[decided.slug, "intention"])
    client.post(publish)
    again = client.post(publish)
    assert again.status_code == 200
    assert "There is a problem" in again.content.decode()
    assert PsrNotice.objects.count() == 1


def test_only_managers_publish(client, alice, decided):
    client.force_login(alice)
    publish = reverse("commissioning:notice_publish", args=[decided.slug, "intention"])
    assert client.get(publish).status_code == 403
    assert client.post(publish).status_code == 403
    assert not PsrNotice.objects.exists()


def test_an_unknown_notice_kind_or_a_route_without_it_is_not_found(client, mfa_off, sid, icb):
    grant = OpportunityFactory.create(funder=icb, grant=True, awarded=True)
    client.force_login(sid)
    assert client.get(f"/opportunities/{grant.slug}/notices/other/").status_code == 404
    assert client.get(_notice_url(grant, "award")).status_code == 404
    assert client.get(_notice_url(grant, "intention")).status_code == 404


def test_the_award_notice_json_for_a_direct_award(client, mfa_off, sid, icb):
    opportunity = psr_opportunity("psr_direct_a", funder=icb)
    application = provider_application(opportunity)
    save_decision(
        actor=sid,
        opportunity=opportunity,
        decision_makers="Sid",
        summary="Only one provider can deliver this.",
        conflicts_summary="",
        items=award_all([application], Decimal("7000")),
    )
    move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    move_opportunity(actor=sid, opportunity=opportunity, target=State.AWARDED)
    client.force_login(sid)
    progress = client.get(reverse("commissioning:decision_progress", args=[opportunity.slug])).content.decode()
    due = timezone.localdate() + datetime.timedelta(days=30)
    assert f"The notice of award is due by {due.day} {due:%B %Y}" in progress

    assert client.post(reverse("commissioning:notice_publish", args=[opportunity.slug, "award"])).status_code == 302
    client.logout()
    data = json.loads(client.get(_notice_url(opportunity, "award", "_json")).content)
    assert set(data) == NOTICE_KEYS | {"award_date"}
    assert data["notice_type"] == "award"
    assert data["award_date"] == timezone.localdate().isoformat()


def test_the_progress_page_flags_an_overdue_award_notice(client, mfa_off, sid, icb):
    opportunity = psr_opportunity("psr_direct_b", funder=icb)
    opportunity.state = State.AWARDED
    opportunity.awarded_at = timezone.now() - datetime.timedelta(days=31)
    opportunity.save()
    client.force_login(sid)
    html = client.get(reverse("commissioning:decision_progress", args=[opportunity.slug])).content.decode()
    assert "Overdue" in html


# Representations


@pytest.fixture
def standstill(sid, decided):
    move_opportunity(actor=sid, opportunity=decided, target=State.STANDSTILL)
    decided.refresh_from_db()
    return decided


def test_a_manager_logs_and_answers_a_representation(client, mfa_off, sid, standstill):
    client.force_login(sid)
    today = timezone.localdate().isoformat()
    add = reverse("commissioning:representation_add", args=[standstill.slug])
    response = client.post(add, {"received_on": today, "made_by": "Valley Care Ltd", "summary": "Unfair."})
    assert response.status_code == 302
    representation = Representation.objects.get()
    progress = client.get(reverse("commissioning:decision_progress", args=[standstill.slug])).content.decode()
    assert "Holds the award" in progress

    respond = reverse("commissioning:representation_respond", args=[standstill.slug, representation.pk])
    response = client.post(respond, {"responded_on": today, "response": "We checked again."})
    assert response.status_code == 302
    representation.refresh_from_db()
    assert representation.hold_ends_on is not None


def test_a_representation_dated_in_the_future_is_refused_on_its_field(client, mfa_off, sid, standstill):
    client.force_login(sid)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    add = reverse("commissioning:representation_add", args=[standstill.slug])
    response = client.post(add, {"received_on": tomorrow, "made_by": "X", "summary": "Y"})
    assert response.status_code == 200
    assert "The date received must be today or in the past" in response.content.decode()
    assert not Representation.objects.exists()


def test_representation_pages_refuse_non_managers_and_other_opportunities(client, mfa_off, alice, sid, icb, standstill):
    representation = RepresentationFactory.create(opportunity=standstill)
    client.force_login(alice)
    assert client.get(reverse("commissioning:representation_add", args=[standstill.slug])).status_code == 403
    respond = reverse("commissioning:representation_respond", args=[standstill.slug, representation.pk])
    assert client.get(respond).status_code == 403
    other = OpportunityFactory.create(funder=icb, psr_competitive=True, standstill=True)
    client.force_login(sid)
    assert (
        client.get(reverse("commissioning:representation_respond", args=[other.slug, representation.pk])).status_code
        == 404
    )


def test_every_manager_page_in_standstill_renders_without_inline_styles(client, mfa_off, sid, standstill):
    representation = RepresentationFactory.create(opportunity=standstill)
    client.force_login(sid)
    urls = [
        reverse("commissioning:decision_progress", args=[standstill.slug]),
        reverse("commissioning:award_confirm", args=[standstill.slug]),
        reverse("commissioning:decision_record", args=[standstill.slug]),
        reverse("commissioning:representation_add", args=[standstill.slug]),
        reverse("commissioning:representation_respond", args=[standstill.slug, representation.pk]),
        reverse("commissioning:notice_publish", args=[standstill.slug, "intention"]),
        _notice_url(standstill),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "style=" not in html, url
        assert "<script>" not in html, url
    award_page = client.get(urls[1]).content.decode()
    assert "The standstill period ends on" in award_page  # what holds the award, before the button
    assert "has no response yet" in award_page
