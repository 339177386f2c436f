"""Every commissioning URL pattern and every persona, sid the commissioner included.

The same idea as test_permission_matrix.py (whose `test_every_url_pattern_has_an_entry` counts the
names here too), with an eighth persona and a world of real opportunities at each stage. A name
may have several cases, because who may see a page often depends on the stage (a draft is hidden
from outsiders, a published notice is public).

The world: the ICB (sid is its commissioner) funds every opportunity, all in the partnership cora
coordinates, so sid and cora manage them and the partnership's people (alice, bob, charlie, lena)
co-design its drafts. pat, a platform admin, has no say in commissioning.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from cocommission.commissioning.models import (
    Application,
    ConsortiumMember,
    Criterion,
    Opportunity,
    OpportunityOutcome,
    PanelMember,
    Question,
    Representation,
)
from cocommission.commissioning.routes import Route, State
from cocommission.commissioning.services.decisions import save_decision
from cocommission.commissioning.services.transitions import move_opportunity
from cocommission.commissioning.tests.factories import (
    ApplicationFactory,
    ConflictDeclarationFactory,
    ConsortiumFactory,
    ConsortiumMemberFactory,
    CriterionFactory,
    OpportunityFactory,
    OutcomeFactory,
    PanelFactory,
    PanelMemberFactory,
    make_ready_to_open,
)
from cocommission.commissioning.tests.factories_decisions import (
    RepresentationFactory,
    award_all,
    provider,
    provider_application,
    psr_opportunity,
)
from cocommission.organisations.tests.factories import MembershipFactory

from .test_permission_matrix import PERSONAS, login_as, outcome

COMMISSIONING_PERSONAS = [*PERSONAS, "sid"]


@dataclass
class World:
    draft: Opportunity  # a grant being co-designed, with its criteria, questions and outcomes
    criterion: Criterion
    question: Question
    proposed_outcome: OpportunityOutcome
    open_grant: Opportunity
    draft_application: Application  # organisation A's, to the open grant
    alliance: Opportunity  # open, consortium applications only
    consortium_application: Application  # started by organisation A, organisation B invited
    invited_member: ConsortiumMember
    scoring: Opportunity  # panel: an ICB colleague (chair), charlie (VCSE), lena (lived experience)
    submitted_application: Application  # organisation A's, being scored
    lena_seat: PanelMember
    decided: Opportunity  # PSR Most Suitable Provider, decided, intention notice not yet published
    standstill: Opportunity  # PSR Most Suitable Provider, intention notice published
    decided_application: Application  # organisation A's, the provider awarded in standstill
    representation: Representation


def _psr_decided(*, sid: Any, icb: Any, partnership: Any, named_provider: Any) -> Opportunity:
    opportunity = psr_opportunity(
        "psr_most_suitable", funder=icb, partnership=partnership, named_provider=named_provider
    )
    save_decision(
        actor=sid,
        opportunity=opportunity,
        decision_makers="Sid (Brackenmoor ICB)",
        summary="Most suitable against the key criteria.",
        conflicts_summary="No conflicts of interest were declared.",
        items=award_all([provider_application(opportunity)], Decimal("9000")),
    )
    return move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)


@pytest.fixture
def world(org_a, org_b, alice, bob, charlie, partnership, cora, lena, pat, icb, sid, mfa_off) -> World:
    funded = {"funder": icb, "partnership": partnership}
    draft = make_ready_to_open(OpportunityFactory.create(**funded))
    open_grant = make_ready_to_open(OpportunityFactory.create(open=True, **funded))
    alliance = make_ready_to_open(OpportunityFactory.create(open=True, alliance=True, **funded))

    consortium = ConsortiumFactory.create(lead=org_a)
    ConsortiumMemberFactory.create(consortium=consortium, organisation=org_a, confirmed=True)
    invited = ConsortiumMemberFactory.create(consortium=consortium, organisation=org_b)

    scoring = OpportunityFactory.create(scoring=True, route=Route.GRANT, **funded)
    CriterionFactory.create(opportunity=scoring, name="Reach", weight=60)
    CriterionFactory.create(opportunity=scoring, name="Value", weight=40)
    OutcomeFactory.create(opportunity=scoring)
    submitted = ApplicationFactory.create(opportunity=scoring, organisation=org_a, submitted=True)
    panel = PanelFactory.create(opportunity=scoring)
    colleague = MembershipFactory.create(organisation=icb, user__email="stella@example.org").user
    PanelMemberFactory.create(panel=panel, user=colleague, statutory=True, organisation=icb, chair=True)
    charlie_seat = PanelMemberFactory.create(panel=panel, user=charlie, organisation=org_b)
    lena_seat = PanelMemberFactory.create(panel=panel, user=lena, lived_experience=True)
    # charlie has declared no conflict and reached the score sheet; lena has not declared yet.
    ConflictDeclarationFactory.create(member=charlie_seat, application=submitted)

    decided = _psr_decided(sid=sid, icb=icb, partnership=partnership, named_provider=provider(name="Moor Care"))
    standstill = _psr_decided(sid=sid, icb=icb, partnership=partnership, named_provider=org_a)
    standstill = move_opportunity(actor=sid, opportunity=standstill, target=State.STANDSTILL)

    return World(
        draft=draft,
        criterion=draft.criteria.all()[0],
        question=draft.questions.all()[0],
        proposed_outcome=OutcomeFactory.create(opportunity=draft, proposed=True),
        open_grant=open_grant,
        draft_application=ApplicationFactory.create(opportunity=open_grant, organisation=org_a),
        alliance=alliance,
        consortium_application=ApplicationFactory.create(
            opportunity=alliance, organisation=org_a, consortium=consortium
        ),
        invited_member=invited,
        scoring=scoring,
        submitted_application=submitted,
        lena_seat=lena_seat,
        decided=decided,
        standstill=standstill,
        decided_application=Application.objects.get(opportunity=standstill),
        representation=RepresentationFactory.create(opportunity=standstill),
    )


def _o(*codes: Any) -> dict[str, Any]:
    """Outcomes in COMMISSIONING_PERSONAS order: anonymous, alice, bob, charlie, cora, lena, pat, sid."""
    assert len(codes) == len(COMMISSIONING_PERSONAS)
    return dict(zip(COMMISSIONING_PERSONAS, codes, strict=True))


@dataclass(frozen=True)
class Case:
    label: str
    kwargs: Any  # Callable[[World], dict[str, Any]]
    expected: dict[str, Any]


ALL_200 = _o(200, 200, 200, 200, 200, 200, 200, 200)
SIGNED_IN_200 = _o("login", 200, 200, 200, 200, 200, 200, 200)
# sid (the funder's commissioner) and cora (the partnership's coordinator) manage every opportunity.
MANAGERS = _o("login", 403, 403, 403, 200, 403, 403, 200)
# On a draft the partnership's people are told "not allowed"; outsiders are not told it exists.
MANAGERS_OF_DRAFT = _o("login", 403, 403, 403, 200, 403, 404, 200)
# A POST-only action: anyone signed in who GETs it is told the method is not allowed.
POST_ONLY = _o("login", 405, 405, 405, 405, 405, 405, 405)
# charlie and lena sit on the scoring opportunity's panel.
PANEL = _o("login", 403, 403, 200, 403, 200, 403, 403)
# Organisation A's draft: only its own people know it exists.
APPLICANTS_ONLY = _o("login", 200, 200, 404, 404, 404, 404, 404)
# Organisation A's submitted application: applicants, managers and the panel (charlie, lena).
SUBMITTED_READERS = _o("login", 200, 200, 200, 200, 200, 404, 200)
NOT_FOUND = _o(404, 404, 404, 404, 404, 404, 404, 404)


def draft_slug(w: World) -> dict[str, Any]:
    return {"slug": w.draft.slug}


def scoring_slug(w: World) -> dict[str, Any]:
    return {"slug": w.scoring.slug}


def open_slug(w: World) -> dict[str, Any]:
    return {"slug": w.open_grant.slug}


def standstill_slug(w: World) -> dict[str, Any]:
    return {"slug": w.standstill.slug}


def draft_part(attr: str) -> Any:
    return lambda w: {"slug": w.draft.slug, "pk": getattr(w, attr).pk}


def scoring_application(w: World) -> dict[str, Any]:
    return {"slug": w.scoring.slug, "pk": w.submitted_application.pk}


def draft_application(w: World) -> dict[str, Any]:
    return {"pk": w.draft_application.pk}


def consortium_application(w: World) -> dict[str, Any]:
    return {"pk": w.consortium_application.pk}


def notice_of(attr: str, kind: str) -> Any:
    return lambda w: {"slug": getattr(w, attr).slug, "kind": kind}


def draft(expected: dict[str, Any], kwargs: Any = draft_slug) -> list[Case]:
    return [Case("draft", kwargs, expected)]


C = "commissioning:"
COMMISSIONING_MATRIX: dict[str, list[Case]] = {
    # Opportunities
    C + "opportunity_list": [Case("all", lambda w: {}, ALL_200)],
    C + "opportunity_create": [Case("new", lambda w: {}, _o("login", 403, 403, 403, 200, 403, 403, 200))],
    C + "opportunity_detail": [
        Case("draft", draft_slug, _o(404, 200, 200, 200, 200, 200, 404, 200)),
        Case("open", open_slug, ALL_200),
    ],
    C + "opportunity_edit": [
        *draft(MANAGERS_OF_DRAFT),
        # Terms are fixed once published: managers are sent back to the opportunity page.
        Case("open", open_slug, _o("login", 403, 403, 403, "redirect", 403, 403, "redirect")),
    ],
    C + "opportunity_move": draft(POST_ONLY),
    C + "opportunity_cancel": draft(MANAGERS_OF_DRAFT),
    C + "criterion_add": draft(MANAGERS_OF_DRAFT),
    C + "criterion_edit": draft(MANAGERS_OF_DRAFT, draft_part("criterion")),
    C + "criterion_remove": draft(MANAGERS_OF_DRAFT, draft_part("criterion")),
    C + "question_add": draft(MANAGERS_OF_DRAFT),
    C + "question_edit": draft(MANAGERS_OF_DRAFT, draft_part("question")),
    C + "question_remove": draft(MANAGERS_OF_DRAFT, draft_part("question")),
    # Everyone in the partnership may propose an outcome sought while it is a draft.
    C + "outcome_add": [
        *draft(_o("login", 200, 200, 200, 200, 200, 404, 200)),
        Case(
            "open",
            open_slug,
            _o("login", "redirect", "redirect", "redirect", "redirect", "redirect", 403, "redirect"),
        ),
    ],
    C + "outcome_edit": draft(MANAGERS_OF_DRAFT, draft_part("proposed_outcome")),
    C + "outcome_remove": draft(MANAGERS_OF_DRAFT, draft_part("proposed_outcome")),
    C + "outcome_agree": draft(POST_ONLY, draft_part("proposed_outcome")),
    C + "outcome_decline": draft(POST_ONLY, draft_part("proposed_outcome")),
    # Applications
    C + "application_list": [Case("mine", lambda w: {}, SIGNED_IN_200)],
    C + "apply": [Case("open", open_slug, SIGNED_IN_200)],
    C + "application_detail": [
        Case("draft", draft_application, APPLICANTS_ONLY),
        Case("submitted", lambda w: {"pk": w.submitted_application.pk}, SUBMITTED_READERS),
    ],
    C + "application_submit": [Case("draft", draft_application, APPLICANTS_ONLY)],
    C + "application_withdraw": [Case("draft", draft_application, APPLICANTS_ONLY)],
    C + "application_reopen": [Case("draft", draft_application, APPLICANTS_ONLY)],
    # charlie's organisation is invited, so charlie reads the consortium but only A keeps it.
    C + "consortium_matrix": [Case("consortium", consortium_application, _o("login", 200, 200, 200, *[404] * 4))],
    C + "consortium_invite": [Case("consortium", consortium_application, _o("login", 200, 200, 403, *[404] * 4))],
    # Only an admin of the invited organisation answers for it.
    C + "consortium_respond": [
        Case(
            "invited",
            lambda w: {"pk": w.consortium_application.pk, "member_pk": w.invited_member.pk},
            _o("login", 403, 403, 200, *[404] * 4),
        )
    ],
    # Panels
    C + "panel": [Case("scoring", scoring_slug, MANAGERS)],
    C + "panel_member_remove": [Case("scoring", lambda w: {"slug": w.scoring.slug, "pk": w.lena_seat.pk}, MANAGERS)],
    C + "panel_scoring": [Case("scoring", scoring_slug, PANEL)],
    C + "panel_declare": [Case("scoring", scoring_application, PANEL)],
    # lena has not declared her interests yet, so she is sent to do that first.
    C + "panel_score": [Case("scoring", scoring_application, _o("login", 403, 403, 200, 403, "redirect", 403, 403))],
    # The chair (an ICB colleague, not a persona) moderates too.
    C + "panel_moderation": [Case("scoring", scoring_slug, MANAGERS)],
    C + "panel_moderate": [Case("scoring", scoring_application, MANAGERS)],
    # Decisions
    C + "application_feedback": [
        Case("scoring", lambda w: {"pk": w.submitted_application.pk}, SUBMITTED_READERS),
        Case("standstill", lambda w: {"pk": w.decided_application.pk}, _o("login", 200, 200, 404, 200, 404, 404, 200)),
    ],
    C + "decision": [
        Case("scoring", scoring_slug, MANAGERS),
        # Decided already: managers are sent to the progress page.
        Case("standstill", standstill_slug, _o("login", 403, 403, 403, "redirect", 403, 403, "redirect")),
    ],
    C + "decision_add_provider": [Case("scoring", scoring_slug, POST_ONLY)],
    C + "decision_progress": [Case("standstill", standstill_slug, MANAGERS)],
    C + "decision_confirm": [Case("scoring", scoring_slug, MANAGERS)],
    C + "award_confirm": [Case("standstill", standstill_slug, MANAGERS)],
    C + "decision_record": [
        Case("scoring", scoring_slug, _o("login", 403, 403, 200, 200, 200, 403, 200)),
        Case("standstill", standstill_slug, MANAGERS),
    ],
    C + "decision_record_json": [
        Case("scoring", scoring_slug, _o("login", 403, 403, 200, 200, 200, 403, 200)),
        Case("standstill", standstill_slug, MANAGERS),
    ],
    # Public once published; before that only managers see the draft; grants have no notices.
    C + "notice": [
        Case("published", notice_of("standstill", "intention"), ALL_200),
        Case("unpublished", notice_of("decided", "intention"), _o(404, 404, 404, 404, 200, 404, 404, 200)),
        Case("grant", notice_of("scoring", "intention"), NOT_FOUND),
    ],
    C + "notice_json": [
        Case("published", notice_of("standstill", "intention"), ALL_200),
        Case("unpublished", notice_of("decided", "intention"), _o(404, 404, 404, 404, 200, 404, 404, 200)),
        Case("grant", notice_of("scoring", "intention"), NOT_FOUND),
    ],
    C + "notice_publish": [Case("decided", notice_of("decided", "intention"), MANAGERS)],
    C + "representation_add": [Case("standstill", standstill_slug, MANAGERS)],
    C + "representation_respond": [
        Case("standstill", lambda w: {"slug": w.standstill.slug, "pk": w.representation.pk}, MANAGERS)
    ],
}

CASES = [(name, case) for name, cases in sorted(COMMISSIONING_MATRIX.items()) for case in cases]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{name}-{case.label}" for name, case in CASES])
def test_outcome_of_every_persona(name, case, world, client, request):
    url = reverse(name, kwargs=case.kwargs(world))
    actual = {}
    for persona in COMMISSIONING_PERSONAS:
        client.logout()
        login_as(client, persona, request)
        actual[persona] = outcome(client.get(url))
    assert actual == case.expected, url
