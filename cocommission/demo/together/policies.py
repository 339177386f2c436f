"""Brackenmoor Together's policy watch: five policies at different stages of the hype cycle,
each with a dated history.

| Policy                                             | Stage now   | Why it is interesting               |
| -------------------------------------------------- | ----------- | ----------------------------------- |
| Carers' breaks and respite reform                  | Trigger     | New on the watch this month         |
| Neighbourhood health                               | Peak        | Moved up from the trigger           |
| Procurement Act 2023 and the Provider Selection Regime | Trough  | Moved down a few weeks ago          |
| Core20PLUS5: reducing healthcare inequalities      | Slope       | Through the trough and climbing     |
| Social prescribing link workers                    | Plateau     | Not reviewed for over 60 days       |

Written through the policy services, as the coordinator, with each review on its own date, so
the policy pages and the monthly horizon scan have a history to read. Priorities and
opportunities are linked by title when the needs and commissioning demos have loaded them.
Keyed by name: loading twice adds nothing.
"""

import datetime
from dataclasses import dataclass

from cocommission.commissioning.models import Opportunity
from cocommission.needs.models import Policy, Priority, Stage
from cocommission.needs.services.policies import create_policy, review_policy

from .world import TogetherDemo

COORDINATOR = "dee.collins@brackenmoor-cvs.example"


@dataclass(frozen=True)
class Review:
    days_ago: int
    stage: str
    note: str


@dataclass(frozen=True)
class DemoPolicy:
    name: str
    owner: str
    summary: str
    links: tuple[str, ...]
    added_days_ago: int
    added_at: str  # the stage it came in at
    reviews: tuple[Review, ...] = ()
    priorities: tuple[str, ...] = ()
    opportunities: tuple[str, ...] = ()


POLICIES = (
    DemoPolicy(
        name="Carers' breaks and respite reform",
        owner="Department of Health and Social Care",
        summary="National proposals to change how councils fund short breaks for unpaid carers, announced with "
        "few details so far. It could change what the council can pay for and how carers' organisations are funded.",
        links=("https://www.gov.uk/government/organisations/department-of-health-and-social-care",),
        added_days_ago=12,
        added_at=Stage.TRIGGER,
    ),
    DemoPolicy(
        name="Neighbourhood health",
        owner="Department of Health and Social Care and NHS England",
        summary="Care organised around neighbourhoods of 30,000 to 50,000 people, with health, care and the "
        "voluntary sector working as one team closer to home.",
        links=(
            "https://www.england.nhs.uk/",
            "https://www.gov.uk/government/organisations/department-of-health-and-social-care",
        ),
        added_days_ago=240,
        added_at=Stage.TRIGGER,
        reviews=(
            Review(150, Stage.TRIGGER, "Still waiting for guidance; the ICB expects it in the spring."),
            Review(95, Stage.PEAK, "Guidance published. Every partner is talking about it; funding is unclear."),
            Review(20, Stage.PEAK, "Still at the peak: three pilot neighbourhoods named, none of them in Fellside."),
        ),
        priorities=("Fewer people lonely and cut off", "Fewer falls at home for people over 65"),
    ),
    DemoPolicy(
        name="Procurement Act 2023 and the Provider Selection Regime",
        owner="Cabinet Office and Department of Health and Social Care",
        summary="The new rules for how public bodies buy services, and for how the NHS and councils choose "
        "providers of health care services without always running a competition.",
        links=(
            "https://www.legislation.gov.uk/ukpga/2023/54/contents",
            "https://www.legislation.gov.uk/uksi/2023/1348/contents",
        ),
        added_days_ago=300,
        added_at=Stage.PEAK,
        reviews=(
            Review(180, Stage.PEAK, "Training sessions are full; partners expect it to end short-term contracts."),
            Review(
                25,
                Stage.TROUGH,
                "First direct awards took longer than expected and small groups found the notices hard to follow.",
            ),
        ),
        opportunities=("Overnight hospice at home care", "Shared Lives short breaks and day support"),
    ),
    DemoPolicy(
        name="Core20PLUS5: reducing healthcare inequalities",
        owner="NHS England",
        summary="The NHS approach to reducing health inequalities: the most deprived 20% of the population, "
        "groups the partnership chooses, and five clinical areas including severe mental illness.",
        links=(
            "https://www.england.nhs.uk/about/equality/equality-hub/national-healthcare-inequalities-improvement-programme/core20plus5/",
        ),
        added_days_ago=420,
        added_at=Stage.PEAK,
        reviews=(
            Review(280, Stage.TROUGH, "Targets felt remote from what communities told us; little money attached."),
            Review(
                50,
                Stage.SLOPE,
                "Working better since the VCSE partners chose the 'plus' groups with the communities themselves.",
            ),
        ),
        priorities=("Support for people while they wait for mental health care",),
        opportunities=("Support while you wait: community wellbeing grants",),
    ),
    DemoPolicy(
        name="Social prescribing link workers",
        owner="NHS England",
        summary="Link workers in GP practices who connect people with community groups and services. Now part of "
        "how every primary care network works.",
        links=("https://www.england.nhs.uk/personalisedcare/social-prescribing/",),
        added_days_ago=400,
        added_at=Stage.SLOPE,
        reviews=(Review(75, Stage.PLATEAU, "Every practice has a link worker; referrals to VCSE groups steady."),),
        priorities=("Fewer people lonely and cut off",),
        opportunities=("Winter warmth micro-grants",),
    ),
)


def _load_one(demo: TogetherDemo, spec: DemoPolicy) -> None:
    coordinator = demo.person(COORDINATOR)
    policy = create_policy(
        actor=coordinator,
        partnership=demo.partnership,
        name=spec.name,
        owner=spec.owner,
        summary=spec.summary,
        links="\n".join(spec.links),
        stage=spec.added_at,
        priorities=list(Priority.objects.filter(partnership=demo.partnership, title__in=spec.priorities)),
        opportunities=list(Opportunity.objects.filter(partnership=demo.partnership, title__in=spec.opportunities)),
        on=demo.today - datetime.timedelta(days=spec.added_days_ago),
    )
    for review in spec.reviews:
        review_policy(
            actor=coordinator,
            policy=policy,
            stage=review.stage,
            note=review.note,
            reviewed_on=demo.today - datetime.timedelta(days=review.days_ago),
        )


def load(demo: TogetherDemo) -> None:
    for spec in POLICIES:
        if not Policy.objects.filter(partnership=demo.partnership, name=spec.name).exists():
            _load_one(demo, spec)
