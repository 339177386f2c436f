"""Provider Selection Regime routes: Direct Award A awarded with its notice, Direct Award B decided,
Direct Award C for Shared Lives in standstill, Most Suitable Provider being assessed, and a
Competitive Process still in draft."""

from cocommission.commissioning.models import Application, Opportunity
from cocommission.commissioning.routes import KeyCriterion, Route, State
from cocommission.commissioning.services import decisions, opportunity_parts, psr

from .world import Demo, OpportunitySpec, Sector, Verdict, create, decide, declare, exists, moderate, move, score, seat

PRIYA = "priya.shah@brackenmoor-icb.example"
DEE = "dee.collins@brackenmoor-cvs.example"
ICB = "brackenmoor-icb"
K = KeyCriterion

FIVE_KEY_CRITERIA = (
    ("Quality and innovation", 25, K.QUALITY),
    ("Value", 20, K.VALUE),
    ("Integration, collaboration and service sustainability", 20, K.INTEGRATION),
    ("Improving access, reducing health inequalities and facilitating choice", 20, K.ACCESS),
    ("Social value", 15, K.SOCIAL_VALUE),
)

DIRECT_A = OpportunitySpec(
    title="Overnight hospice at home care",
    funder=ICB,
    by=PRIYA,
    route=Route.PSR_DIRECT_A,
    route_reason="Brackenmoor Hospice at Home is the existing provider and the only one able to give overnight "
    "end-of-life care at home across the whole area: there is no realistic alternative, so Direct Award process A "
    "applies.",
    problem="People who want to die at home need care through the night as well as the day. Without it, many are "
    "admitted to hospital in their last days.",
    total_budget="1050000",
    max_award="1050000",
    term_years=3,
    decide_by=10,
    named_provider="brackenmoor-hospice-at-home",
    cpv_code="85140000-2",
    outcomes=("Everyone who wants to die at home can have care through the night",),
)

DIRECT_B = OpportunitySpec(
    title="Hearing checks and hearing aids closer to home",
    funder=ICB,
    by=PRIYA,
    route=Route.PSR_DIRECT_B,
    route_reason="Adult hearing services are a service where patients choose their provider. Fellside GP Federation "
    "meets the requirements, so Direct Award process B applies.",
    problem="People in the dales travel up to two hours for a hearing check. Many put it off for years, and hearing "
    "loss left untreated adds to loneliness and the risk of dementia.",
    total_budget="360000",
    max_award="360000",
    term_years=2,
    decide_by=14,
    named_provider="fellside-gp-federation",
    cpv_code="85121000-3",
    outcomes=("People in the dales can have a hearing check within 30 minutes of home",),
)

DIRECT_C = OpportunitySpec(
    title="Shared Lives short breaks and day support",
    funder=ICB,
    by=PRIYA,
    route=Route.PSR_DIRECT_C,
    route_reason="Heathervale Shared Lives has run this service well for six years, the service is not changing "
    "considerably, and Heathervale meets the key criteria and the basic selection criteria. Direct Award process C "
    "lets the arrangement continue, with an intention notice and standstill so the decision is open to challenge.",
    problem="Adults with learning disabilities, autistic adults and their carers need short breaks and day support "
    "in ordinary family homes close to where they live. The current contract ends at the end of March.",
    total_budget="540000",
    max_award="540000",
    term_years=3,
    decide_by=20,
    named_provider="heathervale-shared-lives",
    cpv_code="85311000-2",
    outcomes=(
        "People choose the Shared Lives carer they stay with",
        "Carers get a regular break they can rely on",
    ),
    criteria=FIVE_KEY_CRITERIA,
)

MOST_SUITABLE = OpportunitySpec(
    title="Mental health support in British Sign Language",
    funder=ICB,
    by=PRIYA,
    route=Route.PSR_MOST_SUITABLE,
    route_reason="The ICB can identify the most suitable provider without a competition: Deaf Connect Brackenmoor "
    "is the only local organisation run by and for Deaf people with qualified practitioners who sign. The Most "
    "Suitable Provider process assesses them openly against the key criteria.",
    problem="Deaf people who use British Sign Language wait longer for mental health support, and most of it comes "
    "through interpreters. Many do not come back after the first appointment.",
    total_budget="210000",
    max_award="210000",
    term_years=3,
    decide_by=45,
    named_provider="deaf-connect-brackenmoor",
    cpv_code="85323000-9",
    outcomes=("Deaf people get mental health support in BSL without an interpreter",),
    criteria=FIVE_KEY_CRITERIA,
)

COMPETITIVE = OpportunitySpec(
    title="Stop smoking support in communities",
    funder="brackenmoor-city-council",
    by=DEE,
    route=Route.PSR_COMPETITIVE,
    route_reason="Several providers could deliver this, and no existing arrangement continues. The Competitive "
    "Process lets voluntary, NHS and private providers put forward their approach on equal terms.",
    problem="One in five adults in the most deprived parts of the city smokes, twice the rate elsewhere, and few of "
    "them use the current stop smoking service.",
    total_budget="450000",
    max_award="450000",
    term_years=3,
    opens=14,
    closes=56,
    decide_by=90,
    cpv_code="85100000-0",
    max_questions=5,
    word_limit=4000,
    extra_documents=2,
    outcomes=("More people who smoke in the most deprived neighbourhoods stop for at least four weeks",),
    # Two of the five key criteria are still to add: the page says so, and Dee has that to do.
    criteria=(
        ("Quality and innovation", 30, K.QUALITY),
        ("Improving access, reducing health inequalities and facilitating choice", 30, K.ACCESS),
        ("Value", 20, K.VALUE),
    ),
    questions=(
        ("How will you reach people who smoke and are least likely to use the current service?", 1200),
        ("How will your service work with GPs, pharmacies and maternity services?", 1000),
    ),
)


def _assess(demo: Demo, spec: OpportunitySpec) -> tuple[Opportunity, Application]:
    """Create, start assessing the named provider, and record the provider as the decision's subject."""
    opportunity = move(demo, create(demo, spec), spec.by, State.ASSESSING)
    application = decisions.add_named_provider_application(actor=demo.user(spec.by), opportunity=opportunity)
    return opportunity, application


MAKERS = (
    "Priya Shah (commissioner, NHS Brackenmoor Integrated Care Board)\n"
    "Helen Marsh (NHS Brackenmoor Integrated Care Board)\n"
    "Dee Collins (coordinator, Brackenmoor Together)"
)


def direct_award_a(demo: Demo) -> None:
    """Awarded, with the notice of award published and a draft agreement created."""
    if exists(DIRECT_A):
        return
    opportunity, provider = _assess(demo, DIRECT_A)
    decide(
        demo,
        opportunity,
        by=PRIYA,
        makers=MAKERS,
        summary="The existing provider is the only one able to provide the service: no assessment against the key "
        "criteria is needed under Direct Award process A. Its quality reports and patient feedback were reviewed.",
        conflicts="No conflicts of interest were declared.",
        verdicts=[
            Verdict(
                provider,
                DIRECT_A.max_award,
                "The only provider able to give overnight care at home across Brackenmoor and Fellside. Quality "
                "reviews and families' feedback are consistently good.",
                "Thank you for the information you provided. We have awarded the contract for three years.",
            )
        ],
    )
    opportunity = move(demo, opportunity, PRIYA, State.DECIDED, State.AWARDED)
    psr.publish_award_notice(actor=demo.user(PRIYA), opportunity=opportunity)


def direct_award_b(demo: Demo) -> None:
    """Decided: Priya can now award it and publish the notice of award."""
    if exists(DIRECT_B):
        return
    opportunity, provider = _assess(demo, DIRECT_B)
    decide(
        demo,
        opportunity,
        by=PRIYA,
        makers=MAKERS,
        summary="Fellside GP Federation was checked against the requirements for the service. It meets them all.",
        conflicts="No conflicts of interest were declared.",
        verdicts=[
            Verdict(
                provider,
                DIRECT_B.max_award,
                "Meets every requirement for adult hearing services, with audiologists in three dales practices.",
                "Thank you. The award will be confirmed and the notice published within 30 days.",
            )
        ],
    )
    move(demo, opportunity, PRIYA, State.DECIDED)


def direct_award_c(demo: Demo) -> None:
    """Standstill: the Shared Lives scheme's intention to award is published; the award waits for
    the eight working days to pass."""
    if exists(DIRECT_C):
        return
    opportunity, provider = _assess(demo, DIRECT_C)
    helen = seat(
        demo,
        opportunity,
        by=PRIYA,
        email="helen.marsh@brackenmoor-icb.example",
        sector=Sector.STATUTORY,
        org=ICB,
        chair=True,
    )
    dee = seat(demo, opportunity, by=PRIYA, email=DEE, sector=Sector.VCSE, org="brackenmoor-cvs")
    for member, marks in ((helen, [4, 4, 5, 4, 4]), (dee, [5, 4, 4, 4, 5])):
        declare(member, provider)
        score(member, provider, marks)
    moderate(demo, provider, by=PRIYA, marks=[5, 4, 5, 4, 4])
    decide(
        demo,
        opportunity,
        by=PRIYA,
        makers=MAKERS,
        summary="Heathervale was assessed against the five key criteria and the basic selection criteria by a panel "
        "of the ICB and the voluntary sector; the scores were agreed together.",
        conflicts="Maggie Thornton of Heathervale Shared Lives sits in Brackenmoor Together; she took no part in the "
        "assessment or the decision. No other conflicts were declared.",
        verdicts=[
            Verdict(
                provider,
                DIRECT_C.max_award,
                "Quality and innovation: 5 of 5, with every carer reviewed this year. Value: 4 of 5. Integration: 5 "
                "of 5, working closely with social workers and the learning disability team. Access: 4 of 5. Social "
                "value: 4 of 5. Heathervale meets the basic selection criteria.",
                "A strong assessment. We would like to see more carers in Fellside over the next three years, so "
                "that people there can stay closer to home.",
            )
        ],
    )
    move(demo, opportunity, PRIYA, State.DECIDED, State.STANDSTILL)


def most_suitable_provider(demo: Demo) -> None:
    """Assessing: Norah has scored; Priya sits on the panel and still has hers to do."""
    if exists(MOST_SUITABLE):
        return
    opportunity, provider = _assess(demo, MOST_SUITABLE)
    seat(demo, opportunity, by=PRIYA, email=PRIYA, sector=Sector.STATUTORY, org=ICB, chair=True)
    norah = seat(
        demo,
        opportunity,
        by=PRIYA,
        email="norah.quinn@lighthouse.example",
        sector=Sector.VCSE,
        org="lighthouse-befriending",
    )
    declare(norah, provider)
    score(norah, provider, [4, 4, 5, 5, 4])


def competitive_process(demo: Demo) -> None:
    """Draft: opened by the coordinator for the city council; a partner has proposed an outcome
    that waits to be agreed, and two key criteria are still to add."""
    if exists(COMPETITIVE):
        return
    opportunity = create(demo, COMPETITIVE)
    opportunity_parts.propose_outcome(
        actor=demo.user("farah.iqbal@saheli.example"),
        opportunity=opportunity,
        text="Support is offered in community languages, including Urdu, Punjabi and Bengali",
    )
