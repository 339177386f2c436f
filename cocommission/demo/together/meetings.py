"""Four Brackenmoor Together meetings: three held (agendas, papers, who came by organisation
and sector, minutes, questions, points and follows across meetings, two questions left hanging)
and one coming up, with its agenda set. Written through the meetings services, as the
coordinator and the people who spoke, so the relationship timeline fills in as it would."""

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cocommission.deciding.models import Contribution, Meeting
from cocommission.deciding.services.contributions import add_contribution
from cocommission.deciding.services.meetings import (
    add_agenda_item,
    add_paper,
    create_meeting,
    record_attendance,
    record_minutes,
)
from cocommission.demo.files import demo_pdf

from .world import (
    ALAN,
    COORDINATOR,
    FARAH,
    GARETH,
    JAMIE,
    JOSH,
    KIT,
    LINDA,
    MAGGIE,
    OWEN,
    PRIYA,
    ROSA,
    RUTH,
    SAM,
    WINSTON,
    TogetherDemo,
)

# Questions later meetings follow, named so a follow can find them.
WARM_SPACES = "How will people who do not use the internet hear about the warm spaces this winter?"
LINK_WORKERS = (
    "Can the food bank's link workers refer people straight into mental health support, without waiting for a GP?"
)
WAITING_LIST = "What happens to the people on the waiting list when the pilot ends?"


@dataclass
class Said:
    """(kind, who, text): a follow's `follows` names the question it picks up."""

    kind: str
    by: str
    text: str
    follows: str = ""
    to_the_room: bool = False


@dataclass
class DemoMeeting:
    title: str
    days_from_today: int
    location: str
    agenda: list[tuple[str, str]]
    came: list[str] = field(default_factory=list)
    said: list[Said] = field(default_factory=list)
    minutes: str = ""
    papers: list[str] = field(default_factory=list)


HALL = "Brackenmoor Community Hall, Market Street, and online"

MEETINGS = [
    DemoMeeting(
        title="Partnership board: winter pressures",
        days_from_today=-75,
        location=HALL,
        agenda=[
            ("Welcome and apologies", ""),
            ("Winter pressures and warm spaces", "The council and the food bank on demand so far this winter."),
            ("Carers' breaks", "What carers told the co-design session, brought by the Carers' Circle."),
            ("Any other business", ""),
        ],
        came=[COORDINATOR, PRIYA, GARETH, SAM, KIT, ALAN, LINDA, ROSA, JAMIE],
        said=[
            Said("question", ROSA, WARM_SPACES),
            Said("point", PRIYA, "Hospital discharges are slower when there is nowhere warm to go home to."),
            Said("question", SAM, LINK_WORKERS),
            Said("question", ALAN, "Who decides which carers get a break first?", to_the_room=True),
            Said("point", LINDA, "Home care rounds can carry the warm spaces leaflet to people who never go out."),
        ],
        minutes=(
            "Demand at the food bank is up by a third on last winter. The council will publish the list of warm "
            "spaces by the end of the month.\n\nThe Carers' Circle presented what carers said about breaks. The "
            "partnership agreed to bring carers with lived experience to the next design session."
        ),
        papers=["Winter pressures briefing"],
    ),
    DemoMeeting(
        title="Partnership board: carers and mental health",
        days_from_today=-47,
        location=HALL,
        agenda=[
            ("Welcome and apologies", ""),
            ("Questions from last time", "Picking up the questions raised at the winter pressures meeting."),
            ("Perinatal mental health", "Saheli Wellbeing on culturally safe support."),
            ("Talking therapies pilot", "How the pilot is going, and what happens when it ends."),
        ],
        came=[COORDINATOR, PRIYA, GARETH, RUTH, OWEN, FARAH, JOSH, ALAN, ROSA, WINSTON],
        said=[
            Said(
                "follow",
                GARETH,
                "The council will print the warm spaces list in the free paper and leave copies in libraries and "
                "GP surgeries; Rosa's group has offered to check that it reads well.",
                follows=WARM_SPACES,
            ),
            Said(
                "question",
                FARAH,
                "Could perinatal support be offered in Urdu and Bengali from the start, rather than added later?",
            ),
            Said("question", WINSTON, WAITING_LIST),
            Said("point", JOSH, "Our waiting list for talking therapies has doubled since the summer."),
        ],
        minutes=(
            "The warm spaces list will go out on paper as well as online.\n\nSaheli Wellbeing set out what "
            "culturally safe perinatal support looks like. The talking therapies pilot ends in March."
        ),
    ),
    DemoMeeting(
        title="Partnership board: spring priorities",
        days_from_today=-8,
        location="Lantern Theatre, Canal Side",
        agenda=[
            ("Welcome and apologies", ""),
            ("Spring priorities", "The three priorities proposed, with the stories and figures behind each."),
            ("Questions from earlier meetings", "Including the questions still left hanging."),
            ("Any other business", ""),
        ],
        came=[COORDINATOR, PRIYA, GARETH, OWEN, SAM, KIT, MAGGIE, JOSH, ROSA, JAMIE],
        said=[
            Said(
                "follow",
                OWEN,
                "The trust will pilot direct referrals from two of the food bank's link workers from May, and "
                "report back to this board.",
                follows=LINK_WORKERS,
            ),
            Said(
                "follow",
                PRIYA,
                "Nobody will be dropped: the ICB will keep funding the waiting-list support until the new service "
                "starts.",
                follows=WAITING_LIST,
            ),
            Said("question", JAMIE, "Will people who use the recovery café help choose the new provider?"),
            Said("question", MAGGIE, "Can Shared Lives carers get the same inflation uplift as home care?"),
            Said("point", KIT, "Peer mentors want to be part of the panel, not only consulted."),
        ],
        minutes=(
            "The board discussed the three proposed priorities. Coordinators will open a decision moment on "
            "each.\n\nTwo questions from earlier meetings are still waiting for a follow."
        ),
        papers=["Spring priorities: the evidence"],
    ),
    DemoMeeting(
        title="Partnership board: summer",
        days_from_today=20,
        location=HALL,
        agenda=[
            ("Welcome and apologies", ""),
            ("Recovery café provider", "The panel's recommendation and the decision."),
            ("Questions left hanging", "Questions nobody has followed up yet: who will pick them up?"),
            ("Any other business", ""),
        ],
        papers=["Draft agenda notes"],
    ),
]


def _starts_at(today: datetime.date, days: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(18, 0)))


def _question(demo: TogetherDemo, text: str) -> int:
    question = (
        Contribution.objects.filter(meeting__partnership=demo.partnership, kind=Contribution.Kind.QUESTION, text=text)
        .values_list("pk", flat=True)
        .first()
    )
    assert question is not None, f"The demo question is missing: {text}"
    return question


def _load_meeting(demo: TogetherDemo, spec: DemoMeeting) -> None:
    coordinator = demo.person(COORDINATOR)
    meeting = create_meeting(
        actor=coordinator,
        partnership=demo.partnership,
        title=spec.title,
        starts_at=_starts_at(demo.today, spec.days_from_today),
        location=spec.location,
    )
    for title, details in spec.agenda:
        add_agenda_item(actor=coordinator, meeting=meeting, title=title, details=details)
    for title in spec.papers:
        upload = SimpleUploadedFile(f"{title.lower().replace(' ', '-')}.pdf", demo_pdf(title))
        add_paper(actor=coordinator, meeting=meeting, title=title, uploaded_file=upload)
    if spec.came:
        record_attendance(actor=coordinator, meeting=meeting, user_ids=[demo.person(e).pk for e in spec.came])
    for said in spec.said:
        add_contribution(
            actor=demo.person(said.by),
            meeting=meeting,
            kind=said.kind,
            text=said.text,
            to_the_room=said.to_the_room,
            follows_id=_question(demo, said.follows) if said.follows else None,
        )
    if spec.minutes:
        record_minutes(actor=coordinator, meeting=meeting, minutes=spec.minutes)


def load(demo: TogetherDemo) -> None:
    """Add whichever of the four meetings is missing (each is recognised by its title)."""
    for spec in MEETINGS:
        if not Meeting.objects.filter(partnership=demo.partnership, title=spec.title).exists():
            _load_meeting(demo, spec)
