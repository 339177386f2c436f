"""Applying together and competing openly: an alliance of three VCSE organisations with no lead,
and an open competition that has closed."""

from decimal import Decimal

from cocommission.commissioning.models import ConsortiumMember
from cocommission.commissioning.routes import Route, State
from cocommission.commissioning.services import applications, consortia

from .world import Demo, OpportunitySpec, apply, create, exists, move

FELLS = ("Fellside Town", "Upper Dale", "Lower Dale", "Kestrel Moor")
DEE = "dee.collins@brackenmoor-cvs.example"
KIT = "kit.ramsay@second-wind.example"
RUTH = "ruth.ellery@fellside-council.example"

ALLIANCE = OpportunitySpec(
    title="Recovery and wellbeing alliance",
    funder="brackenmoor-icb",
    by=DEE,
    route=Route.ALLIANCE,
    route_reason="Recovery works when housing, mental health support and peer support pull together. An alliance "
    "shares the budget, the risk and the outcomes, so no one organisation carries the others.",
    problem="People leaving crisis mental health support often fall between services: housing, peer support and "
    "talking therapies are separate, and people are passed around until they give up.",
    total_budget="900000",
    max_award="900000",
    term_years=3,
    kinds=("vcse",),
    opens=-21,
    closes=24,
    decide_by=60,
    max_questions=4,
    word_limit=3000,
    extra_documents=1,
    outcomes=(
        "People leaving crisis support have a named peer supporter within a week",
        "Fewer people return to crisis services within six months",
        "People have a safe, settled place to live while they recover",
    ),
    criteria=(
        ("Shared accountability and how the alliance will work together", 30, ""),
        ("Reaching people who fall between services", 30, ""),
        ("Peer support and lived experience", 20, ""),
        ("Value for money", 20, ""),
    ),
    questions=(
        ("How will your alliance work together and make decisions together?", 800),
        ("Who will you support, and how will people move between your services?", 800),
        ("How will peer support and lived experience run through the work?", 700),
        ("What will the budget pay for, year by year?", 700),
    ),
)

# Each member: (slug, admin who confirms, outcome it is accountable for, budget share, risk share).
ALLIANCE_MEMBERS = [
    ("second-wind-recovery", KIT, 0, "35", "34"),
    ("brackenmoor-mind", "josh.kerr@brackenmoor-mind.example", 1, "40", "33"),
    ("moorland-homes-and-care", "claire.barton@moorland-homes.example", 2, "25", "33"),
]

OPEN_COMPETITION = OpportunitySpec(
    title="Community transport to health appointments in Fellside",
    funder="fellside-district-council",
    by=RUTH,
    route=Route.OPEN_COMPETITION,
    route_reason="Several providers could run this, and the council wants to compare approaches and costs in the "
    "open. An open competition with a proportionate ask suits a contract of this size.",
    problem="In the dales there is one bus a day, or none. People miss hospital and GP appointments because they "
    "cannot get there, and every missed appointment costs them and the NHS.",
    total_budget="240000",
    max_award="120000",
    term_years=2,
    kinds=("vcse", "private"),
    areas=FELLS,
    opens=-42,
    closes=-2,
    decide_by=28,
    max_questions=3,
    word_limit=1800,
    extra_documents=1,
    outcomes=(
        "Nobody in the dales misses a health appointment because they could not get there",
        "Journeys work for wheelchair users and people living with dementia",
    ),
    criteria=(
        ("Covering the dales reliably", 40, ""),
        ("Accessible and safe journeys", 30, ""),
        ("Cost and value", 30, ""),
    ),
    questions=(
        ("How will you get people to appointments across the dales, reliably?", 700),
        ("How will you make journeys accessible and safe for everyone?", 600),
        ("What will it cost, and what do people get for the money?", 500),
    ),
)


def alliance(demo: Demo) -> None:
    """Open: three VCSE organisations applied together with no lead; every member confirmed its
    share of the budget and of the risk."""
    if exists(ALLIANCE):
        return
    opportunity = move(demo, create(demo, ALLIANCE), DEE, State.OPEN)
    application = apply(
        demo,
        opportunity,
        org="second-wind-recovery",
        by=KIT,
        amount="870000",
        summary="Peer support, crisis follow-up and settled housing, run together with no lead.",
        answers=[],
        day=-10,
        submit=False,
        consortium_name="Brackenmoor Recovery Alliance",
    )
    kit = demo.user(KIT)
    invited_on = demo.at(-9)
    for slug, _, _, _, _ in ALLIANCE_MEMBERS[1:]:
        consortia.invite_member(actor=kit, application=application, organisation=demo.org(slug), now=invited_on)
    outcomes = list(opportunity.outcomes.all())
    members = {
        m.organisation.slug: m
        for m in ConsortiumMember.objects.filter(consortium=application.consortium).select_related("organisation")
    }
    consortia.update_matrix(
        actor=kit,
        application=application,
        rows={
            members[slug].pk: consortia.MatrixRow(
                outcome_ids=frozenset({outcomes[outcome].pk}),
                budget_share=Decimal(budget),
                risk_share=Decimal(risk),
            )
            for slug, _, outcome, budget, risk in ALLIANCE_MEMBERS
        },
        lead_organisation_id=None,
        now=invited_on,
    )
    for slug, admin, _, _, _ in ALLIANCE_MEMBERS[1:]:
        consortia.respond_to_invitation(actor=demo.user(admin), member=members[slug], accept=True, now=demo.at(-7))
    now = demo.at(-4)
    answers = [
        "We meet every fortnight as equals: one vote each, and any change to the plan needs all three. Our shared "
        "risk register and a joint budget holder keep money and risk visible to everyone.",
        "People leaving the crisis team are offered a peer supporter from Second Wind within a week, talking "
        "support from Brackenmoor Mind and, where they need it, a tenancy with Moorland Homes. One referral reaches "
        "all three of us.",
        "Half of our peer supporters have used crisis services. People who use the service sit on the alliance "
        "board and review every quarter what is and is not working.",
        "Year one: £290,000, mostly peer supporters and therapists. Years two and three: £290,000 each, with a "
        "growing share for housing support as tenancies start.",
    ]
    questions = list(opportunity.questions.all())
    applications.save_draft(
        actor=kit,
        application=application,
        amount_requested=Decimal("870000"),
        summary=application.summary,
        answers={question.pk: text for question, text in zip(questions, answers, strict=True)},
        now=now,
    )
    applications.submit_application(actor=kit, application=application, now=now)


def open_competition(demo: Demo) -> None:
    """Closed: two bids submitted before the closing time; a third organisation never submitted its draft."""
    if exists(OPEN_COMPETITION):
        return
    opportunity = move(demo, create(demo, OPEN_COMPETITION), RUTH, State.OPEN)
    apply(
        demo,
        opportunity,
        org="fellside-rural-transport",
        by="gwen.hart@fellside-transport.example",
        amount="118000",
        summary="Door-to-door minibuses and volunteer cars to every surgery and hospital, booked with one call.",
        answers=[
            "Four accessible minibuses and 30 volunteer drivers, booked through one phone line and online, covering "
            "every village in the dales. We already run 9,000 journeys a year.",
            "Every driver is trained in dementia awareness and wheelchair safety; every minibus has a lift.",
            "£118,000 over two years: drivers' time, fuel, vehicle costs and the booking line.",
        ],
        day=-9,
    )
    apply(
        demo,
        opportunity,
        org="wheels-for-wellbeing-fellside",
        by="pete.lowe@wheels-fellside.example",
        amount="46000",
        summary="A volunteer car scheme for Upper and Lower Dale.",
        answers=[
            "Twelve volunteer drivers in Upper and Lower Dale, booked through the surgeries.",
            "Drivers are checked and trained; we cannot yet carry people in wheelchairs.",
            "£46,000 over two years: mileage, coordination and training.",
        ],
        day=-5,
    )
    apply(
        demo,
        opportunity,
        org="fellside-age-well",
        by="joan.pike@fellside-agewell.example",
        amount="60000",
        summary="Escorted journeys for older people.",
        answers=["Escorted journeys for older people going to hospital, with a volunteer who stays with them."],
        day=-4,
        submit=False,
    )
    move(demo, opportunity, RUTH, State.CLOSED)
