"""The demo place's decision moments and policy watch: a moment of each method, one blocked
consensus, one sector-balanced vote whose result differs from the raw count, one still open;
five policies at different stages with dated history. Loading twice adds nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.deciding.models import DecisionMoment, Response
from cocommission.deciding.services.horizon import scan_lines
from cocommission.demo.together import moments as demo_moments
from cocommission.demo.together import policies as demo_policies
from cocommission.demo.together.world import TogetherDemo
from cocommission.needs.models import Policy, PolicyReview
from cocommission.organisations.models import Interaction, Organisation
from cocommission.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def _demo() -> TogetherDemo:
    return TogetherDemo(
        today=timezone.localdate(),
        partnership=Partnership.objects.get(slug="brackenmoor-together"),
        orgs={o.slug: o for o in Organisation.objects.all()},
    )


def moment(title: str) -> DecisionMoment:
    return DecisionMoment.objects.get(title=title)


def test_a_moment_of_each_method_and_one_still_open(demo):
    moments = DecisionMoment.objects.filter(partnership=demo.partnership)
    assert {m.method for m in moments.filter(status="closed")} == {"consensus", "consent", "balanced_vote"}
    still_open = moments.get(status="open")
    assert still_open.responses.count() == 4 and still_open.closes_on > demo.today


def test_one_blocked_consensus_with_its_reason(demo):
    blocked = moment("Agree the priority: fewer falls at home for people over 65")
    assert (blocked.method, blocked.result, blocked.chosen_option) == ("consensus", "blocked", None)
    assert blocked.tally["blocks"][0]["by"] == "Lived experience"
    assert "not heard from older people" in blocked.tally["blocks"][0]["reason"]
    assert (
        blocked.room["with_lived_experience"] >= 1
        and blocked.closed_at is not None
        and blocked.closed_at.date() < demo.today
    )


def test_a_sector_balanced_vote_where_the_raw_count_and_the_result_differ(demo):
    vote = moment("How to support people while they wait for mental health care")
    peer, call = list(vote.options.all())
    assert vote.result == "adopted" and vote.chosen_option == call
    assert vote.tally["raw_winner"] == peer.pk and vote.tally["differs"] is True
    raw = {row["id"]: row["raw"] for row in vote.tally["options"]}
    assert (raw[peer.pk], raw[call.pk]) == (7, 6)
    assert vote.tally["voters"] == {"statutory": 4, "vcse": 6, "lived_experience": 3}
    assert vote.room["total"] == 13


def test_a_consent_decision_with_one_objection_resolved_and_one_recorded(demo):
    consent = moment("Ring-fence winter warmth micro-grants for every ward")
    assert consent.result == "adopted"
    assert sorted(o["status"] for o in consent.tally["objections"]) == ["recorded", "resolved"]


def test_closed_decisions_are_on_the_relationship_timeline_in_the_past(demo):
    entries = Interaction.objects.filter(partnership=demo.partnership, kind=Interaction.Kind.DECISION_MOMENT)
    assert entries.count() > 10
    assert entries.filter(occurred_on=demo.today - datetime.timedelta(days=10)).exists()
    assert not entries.filter(occurred_on=demo.today).exists()


def test_five_policies_at_different_stages_with_history(demo):
    policies = Policy.objects.filter(partnership=demo.partnership)
    assert sorted(p.stage for p in policies) == sorted(["trigger", "peak", "trough", "slope", "plateau"])
    assert PolicyReview.objects.filter(policy__partnership=demo.partnership).count() >= 12
    slope = policies.get(stage="slope")
    assert [r.stage for r in slope.reviews.order_by("reviewed_on")] == ["peak", "trough", "slope"]
    assert policies.get(stage="plateau").last_reviewed_on == demo.today - datetime.timedelta(days=75)
    assert policies.get(name="Procurement Act 2023 and the Provider Selection Regime").opportunities.count() == 2


def test_the_horizon_scan_would_list_what_moved_and_what_is_overdue(demo):
    listed = {line.policy.name: line.why for line in scan_lines(demo.partnership, today=demo.today)}
    assert "Social prescribing link workers" in listed  # 75 days since its review
    assert "Procurement Act 2023 and the Provider Selection Regime" in listed  # moved 25 days ago
    assert listed["Carers' breaks and respite reform"].startswith("new on the watch")
    assert "Core20PLUS5: reducing healthcare inequalities" not in listed  # moved 50 days ago, before the last month


def test_loading_again_adds_nothing(demo):
    counts = (DecisionMoment.objects.count(), Response.objects.count(), Policy.objects.count())
    demo_moments.load(demo)
    demo_policies.load(demo)
    assert (DecisionMoment.objects.count(), Response.objects.count(), Policy.objects.count()) == counts


def test_the_pages_show_the_demo(demo, client, settings):
    settings.COCOMMISSION_MFA_REQUIRED = False
    client.force_login(User.objects.get(email="lived.experience@demo.example"))
    slug = demo.partnership.slug
    vote = moment("How to support people while they wait for mental health care")
    body = client.get(reverse("deciding:moment_detail", kwargs={"slug": slug, "pk": vote.pk})).content.decode()
    assert "Counting one vote per person would have chosen “More places in VCSE peer support groups”" in body
    listing = client.get(reverse("deciding:moment_list", kwargs={"slug": slug})).content.decode()
    assert "Where the loneliness fund goes first" in listing
    policies = client.get(reverse("needs:policy_list", kwargs={"slug": slug})).content.decode()
    assert "Review due" in policies and "Neighbourhood health" in policies
