from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.agreements.models import Agreement
from cocommission.commissioning.models import (
    Application,
    ApplicationDecision,
    ConflictDeclaration,
    ConsortiumMember,
    Opportunity,
    PanelMember,
    PsrNotice,
    ScoreSheet,
)
from cocommission.commissioning.permissions import can_manage
from cocommission.commissioning.proportionality import band_for
from cocommission.commissioning.routes import Route, State
from cocommission.commissioning.selectors.decisions import decision_for_application
from cocommission.core.dates import add_working_days
from cocommission.core.models import AuditEvent
from cocommission.demo.commissioning import collaborative, grants, psr
from cocommission.demo.commissioning.world import OpportunitySpec
from cocommission.demo.loader import load_demo_place
from cocommission.organisations.models import Interaction

pytestmark = pytest.mark.django_db

PRIYA = "priya.shah@brackenmoor-icb.example"
DEE = "dee.collins@brackenmoor-cvs.example"
SAM = "sam.okoro@lantern-theatre.example"
KIT = "kit.ramsay@second-wind.example"
ROSA = "lived.experience@demo.example"


def opportunity(spec: OpportunitySpec) -> Opportunity:
    return Opportunity.objects.get(slug=spec.slug)


def test_every_route_and_every_state_is_in_the_demo(demo):
    pairs = set(Opportunity.objects.values_list("route", "state"))
    assert {route for route, _ in pairs} == set(Route.values)
    expected = set(State.values) - {State.CANCELLED}
    assert expected <= {state for _, state in pairs}
    # Every state the brief names, on the route the brief names.
    assert {
        (Route.GRANT, State.OPEN),
        (Route.GRANT, State.SCORING),
        (Route.GRANT, State.AWARDED),
        (Route.ALLIANCE, State.OPEN),
        (Route.OPEN_COMPETITION, State.CLOSED),
        (Route.PSR_DIRECT_A, State.AWARDED),
        (Route.PSR_DIRECT_B, State.DECIDED),
        (Route.PSR_DIRECT_C, State.STANDSTILL),
        (Route.PSR_MOST_SUITABLE, State.ASSESSING),
        (Route.PSR_COMPETITIVE, State.DRAFT),
    } <= pairs


def test_every_opportunity_was_moved_through_the_services_by_a_demo_person(demo):
    for opp in Opportunity.objects.exclude(state=State.DRAFT):
        events = AuditEvent.objects.filter(object_type__endswith="opportunity", object_id=str(opp.pk))
        assert events.exclude(actor=None).count() >= 2, opp.slug  # created, then moved at least once
    assert Opportunity.objects.filter(created_by__email=PRIYA).count() >= 5


def test_the_micro_grant_asks_for_500_words_for_500_pounds(demo):
    micro = opportunity(grants.MICRO_GRANT)
    assert micro.route == Route.GRANT and micro.state == State.OPEN
    assert micro.max_award == Decimal("500")
    assert band_for(micro.max_award).key == "micro"
    assert micro.word_limit == 500 and micro.extra_documents == 0
    questions = list(micro.questions.all())
    assert len(questions) == 3 and sum(q.word_limit for q in questions) == 500
    assert micro.closes_at is not None and micro.closes_at > timezone.now()
    sam_draft = Application.objects.get(opportunity=micro, organisation__slug="lantern-theatre-food-bank")
    assert sam_draft.status == Application.Status.DRAFT
    submitted = micro.applications.filter(status=Application.Status.SUBMITTED)
    assert submitted.count() == 2
    assert all(a.amount_requested is not None and a.amount_requested <= micro.max_award for a in submitted)
    assert all(a.total_words <= 500 for a in submitted)


def test_the_alliance_has_three_vcse_members_no_lead_and_shares_summing_to_100(demo):
    alliance = opportunity(collaborative.ALLIANCE)
    assert alliance.route == Route.ALLIANCE
    application = alliance.applications.get()
    assert application.status == Application.Status.SUBMITTED
    consortium = application.consortium
    assert consortium is not None and consortium.lead is None
    members = list(consortium.members.select_related("organisation"))
    assert len(members) == 3
    assert all(m.status == ConsortiumMember.Status.CONFIRMED for m in members)
    assert all(m.organisation.kind == "vcse" for m in members)
    assert sum(m.budget_share for m in members) == Decimal("100")
    assert sum(m.risk_share for m in members) == Decimal("100")
    delivered = {o.pk for m in members for o in m.outcomes.all()}
    assert delivered == set(alliance.outcomes.values_list("pk", flat=True))


def test_direct_award_c_for_shared_lives_is_in_standstill_with_its_notice(demo):
    shared_lives = opportunity(psr.DIRECT_C)
    assert shared_lives.route == Route.PSR_DIRECT_C
    assert shared_lives.state == State.STANDSTILL
    assert shared_lives.funder.slug == "brackenmoor-icb"
    assert shared_lives.named_provider is not None and shared_lives.named_provider.slug == "heathervale-shared-lives"
    notice = PsrNotice.objects.get(opportunity=shared_lives, kind=PsrNotice.Kind.INTENTION)
    published_on = timezone.localdate(notice.published_at)
    assert notice.standstill_ends_on == add_working_days(published_on, 8)
    assert notice.standstill_ends_on > timezone.localdate()
    assert notice.content["providers"][0]["name"] == "Heathervale Shared Lives"
    assert notice.content["contract"]["cpv_code"] == shared_lives.cpv_code
    decision = ApplicationDecision.objects.get(application__opportunity=shared_lives)
    assert decision.outcome == ApplicationDecision.Outcome.AWARD


def test_the_awarded_grant_decided_every_application_and_made_a_draft_agreement(demo):
    grant = opportunity(grants.AWARDED_GRANT)
    assert grant.state == State.AWARDED and grant.awarded_at is not None
    submitted = list(grant.applications.filter(status=Application.Status.SUBMITTED))
    assert len(submitted) == 2
    decisions = ApplicationDecision.objects.filter(application__in=submitted)
    assert decisions.count() == 2
    assert all(d.feedback and d.reasons and d.notified_at for d in decisions)
    assert sorted(decisions.values_list("outcome", flat=True)) == ["award", "decline"]
    award = decisions.get(outcome=ApplicationDecision.Outcome.AWARD)
    agreement = Agreement.objects.get(award=award)
    assert agreement.status == Agreement.Status.DRAFT and agreement.value == award.amount
    assert grant.decision_record.confirmed_at is not None
    # Sam's food bank sees its feedback; the awards and declines are on the relationship timelines.
    lantern = grant.applications.get(organisation__slug="lantern-theatre-food-bank")
    assert decision_for_application(lantern) == award
    assert Interaction.objects.filter(kind="award").exists()
    assert Interaction.objects.filter(kind="decision").count() >= 2


def test_the_scoring_grant_has_a_three_sector_panel_with_conflicts_and_scores(demo):
    grant = opportunity(grants.SCORING_GRANT)
    assert grant.state == State.SCORING
    assert grant.closes_at is not None and grant.closes_at < timezone.now()
    submitted = grant.applications.filter(status=Application.Status.SUBMITTED)
    assert submitted.count() == 4
    assert all(a.submitted_at is not None and a.submitted_at < grant.closes_at for a in submitted)
    members = PanelMember.objects.filter(panel__opportunity=grant)
    assert set(members.values_list("sector", flat=True)) == {"statutory", "vcse", "lived_experience"}
    declarations = ConflictDeclaration.objects.filter(member__panel__opportunity=grant)
    assert declarations.filter(has_conflict=True).count() == 2
    sheets = ScoreSheet.objects.filter(application__opportunity=grant)
    assert sheets.filter(submitted_at__isnull=False).exists()
    assert sheets.filter(submitted_at__isnull=True).exists()
    # Priya manages it; Rosa sits on its panel with applications she has not scored yet.
    assert can_manage(User.objects.get(email=PRIYA), grant)
    rosa = members.get(user__email=ROSA)
    assert rosa.sector == "lived_experience"
    assert ScoreSheet.objects.filter(member=rosa, submitted_at__isnull=False).count() < submitted.count()


def test_the_other_psr_routes_and_the_open_competition(demo):
    direct_a = opportunity(psr.DIRECT_A)
    assert direct_a.state == State.AWARDED
    assert direct_a.psr_notices.filter(kind=PsrNotice.Kind.AWARD).exists()
    assert Agreement.objects.filter(opportunity=direct_a).exists()
    assert opportunity(psr.DIRECT_B).state == State.DECIDED
    assert opportunity(psr.MOST_SUITABLE).state == State.ASSESSING
    draft = opportunity(psr.COMPETITIVE)
    assert draft.state == State.DRAFT
    assert draft.created_by == User.objects.get(email=DEE)
    assert draft.outcomes.filter(status="proposed").exists()
    competition = opportunity(collaborative.OPEN_COMPETITION)
    assert competition.state == State.CLOSED
    assert competition.closes_at is not None and competition.closes_at < timezone.now()
    assert competition.applications.filter(status=Application.Status.SUBMITTED).count() == 2
    assert competition.applications.filter(status=Application.Status.DRAFT).count() == 1


def _snapshot() -> tuple[int, ...]:
    models = [Opportunity, Application, PanelMember, ConflictDeclaration, ScoreSheet, ApplicationDecision]
    return (
        *(m._default_manager.count() for m in models),
        PsrNotice.objects.count(),
        Agreement.objects.count(),
        Interaction.objects.count(),
        AuditEvent.objects.count(),
    )


def test_loading_twice_adds_no_commissioning_the_second_time(demo):
    before = _snapshot()
    second = load_demo_place()
    assert _snapshot() == before
    assert not any(key.endswith("added") for key in second)
    assert second["in total, opportunities"] == 10


def test_a_missing_opportunity_is_added_back_alone(demo):
    # Keyed by slug: removing one story's opportunity and loading again rebuilds just that one.
    draft = opportunity(psr.COMPETITIVE)
    draft.delete()
    counts = load_demo_place()
    assert counts["opportunities added"] == 1
    assert Opportunity.objects.count() == 10


@pytest.mark.usefixtures("mfa_off")
def test_the_demo_logins_each_have_something_to_see(demo, client):
    scoring = opportunity(grants.SCORING_GRANT)
    awarded = opportunity(grants.AWARDED_GRANT)
    micro = opportunity(grants.MICRO_GRANT)
    alliance_application = opportunity(collaborative.ALLIANCE).applications.get()
    saheli = scoring.applications.get(organisation__slug="saheli-wellbeing")
    pages = {
        PRIYA: [
            reverse("commissioning:opportunity_detail", kwargs={"slug": scoring.slug}),
            reverse("commissioning:panel_moderation", kwargs={"slug": scoring.slug}),
            reverse("commissioning:decision_record", kwargs={"slug": psr.DIRECT_A.slug}),
            reverse("commissioning:notice", kwargs={"slug": psr.DIRECT_C.slug, "kind": "intention"}),
            reverse("commissioning:notice", kwargs={"slug": psr.DIRECT_A.slug, "kind": "award"}),
            reverse("commissioning:panel_scoring", kwargs={"slug": psr.MOST_SUITABLE.slug}),
        ],
        DEE: [
            reverse("commissioning:decision_record", kwargs={"slug": awarded.slug}),
            reverse("commissioning:opportunity_detail", kwargs={"slug": psr.COMPETITIVE.slug}),
            reverse("commissioning:panel_scoring", kwargs={"slug": scoring.slug}),
        ],
        ROSA: [
            reverse("commissioning:panel_scoring", kwargs={"slug": scoring.slug}),
            reverse("commissioning:panel_score", kwargs={"slug": scoring.slug, "pk": saheli.pk}),
        ],
        SAM: [
            reverse("commissioning:application_list"),
            reverse(
                "commissioning:application_detail",
                kwargs={"pk": micro.applications.get(organisation__slug="lantern-theatre-food-bank").pk},
            ),
            reverse(
                "commissioning:application_feedback",
                kwargs={"pk": awarded.applications.get(organisation__slug="lantern-theatre-food-bank").pk},
            ),
        ],
        KIT: [
            reverse("commissioning:consortium_matrix", kwargs={"pk": alliance_application.pk}),
            reverse(
                "commissioning:application_feedback",
                kwargs={"pk": awarded.applications.get(organisation__slug="second-wind-recovery").pk},
            ),
        ],
    }
    for email, urls in pages.items():
        client.force_login(User.objects.get(email=email))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (email, url, response.status_code)
    client.logout()
    assert client.get(reverse("commissioning:opportunity_list")).status_code == 200
