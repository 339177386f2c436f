"""Brackenmoor Together's decision moments: one of each method, closed, and one still open.

| Decision                                             | Method               | Outcome                     |
| ---------------------------------------------------- | -------------------- | --------------------------- |
| Agree the priority: fewer falls at home              | Consensus            | Blocked (lived experience)  |
| Keep Fellside community transport running all summer | Consensus            | Adopted                     |
| Ring-fence winter warmth micro-grants for every ward | Consent              | Adopted; objections settled |
| How to support people while they wait                | Sector-balanced vote | Differs from the raw count  |
| Where the loneliness fund goes first                 | Sector-balanced vote | Open, four responses so far |

Written through the decision services, as the coordinator and the people who responded, so the
quorum rules, the tally and the relationship timeline hold as they would in a real place. Then,
as the rest of the demo does, the dates are moved into the past straight in the database, so the
closed decisions read as weeks old. Keyed by title: loading twice adds nothing. Priorities are
looked up by title (the needs demo loads them first); without them the decision is about the
design of a service instead.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from cocommission.deciding.models import DecisionMoment
from cocommission.deciding.services.moments import close_moment, open_moment, resolve_objection, respond
from cocommission.needs.models import Priority
from cocommission.organisations.models import Interaction

from .world import (
    ALAN,
    COORDINATOR,
    FARAH,
    GARETH,
    JAMIE,
    JOSH,
    KIT,
    MAGGIE,
    OWEN,
    PRIYA,
    ROSA,
    RUTH,
    SAM,
    WINSTON,
    TogetherDemo,
)

Method = DecisionMoment.Method
Subject = DecisionMoment.Subject


@dataclass(frozen=True)
class Said:
    """A response: for a vote, `answer` is the option's number (1, 2, …); otherwise the position."""

    by: str
    answer: str | int
    reason: str = ""


@dataclass(frozen=True)
class Settled:
    """How the coordinator dealt with an objection."""

    by: str
    outcome: str  # resolved or recorded
    note: str


@dataclass(frozen=True)
class DemoMoment:
    title: str
    question: str
    subject: str
    method: str
    choices: tuple[str, ...]  # the proposal, or the options of a vote
    responses: tuple[Said, ...]
    opened_days_ago: int
    priority: str = ""
    require_lived_experience: bool = False
    settled: tuple[Settled, ...] = ()
    reasons: str = ""  # empty: still open
    closed_days_ago: int = 0
    review_in_days: int = 0
    closes_in_days: int = 0


MOMENTS = (
    DemoMoment(
        title="Agree the priority: fewer falls at home for people over 65",
        question="Should the partnership agree falls prevention for people over 65 as a shared priority now? "
        "The figures show emergency admissions for falls are highest in Upper Dale and Eastfield.",
        subject=Subject.PRIORITY,
        priority="Fewer falls at home for people over 65",
        method=Method.CONSENSUS,
        choices=("Agree falls prevention for people over 65 as a shared priority",),
        require_lived_experience=True,
        responses=(
            Said(PRIYA, "agree"),
            Said(OWEN, "agree", "Admissions for falls rose again last winter."),
            Said(GARETH, "agree"),
            Said(FARAH, "stand_aside", "I support it, but our members have not talked about falls yet."),
            Said(ALAN, "agree"),
            Said(
                ROSA,
                "block",
                "We have not heard from older people in Upper Dale and Eastfield yet. Agree it after we have "
                "listened to them, not before: the numbers do not tell us why people fall or what would help.",
            ),
        ),
        opened_days_ago=34,
        reasons="Blocked by a member with lived experience: the people behind the falls figures have not been "
        "heard. The coordinator will arrange listening sessions in Upper Dale and Eastfield with older people and "
        "their carers, and the priority comes back with their stories beside the figures.",
        closed_days_ago=20,
        review_in_days=60,
    ),
    DemoMoment(
        title="Keep Fellside community transport running all summer",
        question="The minibus grant ends in June. Should the partnership fund the service through to September "
        "from the shared transport budget, so people can still reach appointments?",
        subject=Subject.FUNDING,
        method=Method.CONSENSUS,
        choices=("Fund Fellside community transport from July to September from the shared transport budget",),
        responses=(
            Said(RUTH, "agree", "Rural patients miss appointments without it."),
            Said(PRIYA, "agree"),
            Said(GARETH, "stand_aside", "The city has no stake in it, but no objection."),
            Said(KIT, "agree"),
            Said(ALAN, "agree", "Carers depend on it for respite days."),
            Said(WINSTON, "agree"),
        ),
        opened_days_ago=90,
        reasons="Everyone agreed or stood aside. Fellside community transport runs until the end of September "
        "while the partnership commissions a longer-term service.",
        closed_days_ago=75,
        review_in_days=45,
    ),
    DemoMoment(
        title="Ring-fence winter warmth micro-grants for every ward",
        question="Should at least £2,000 of the winter warmth micro-grants be kept for groups in each ward, so "
        "that the money reaches places without large charities?",
        subject=Subject.FUNDING,
        method=Method.CONSENT,
        choices=("Keep at least £2,000 of the winter warmth micro-grants for groups in each ward",),
        responses=(
            Said(PRIYA, "consent"),
            Said(
                GARETH,
                "object",
                "The council's warm spaces already cover the city centre; a fixed sum per ward may leave money "
                "unspent there.",
            ),
            Said(RUTH, "consent"),
            Said(SAM, "consent"),
            Said(KIT, "consent"),
            Said(MAGGIE, "object", "Small groups cannot spend £2,000 by March without help with the paperwork."),
            Said(JAMIE, "consent", "The estates near me never hear about these grants."),
        ),
        settled=(
            Settled(
                GARETH,
                "recorded",
                "Recorded: the partnership accepts that some money may move between wards in February; the council "
                "will report what is unspent.",
            ),
            Settled(
                MAGGIE,
                "resolved",
                "Resolved: the CVS will run two drop-in sessions to help small groups apply and report.",
            ),
        ),
        opened_days_ago=60,
        reasons="Adopted by consent. One objection was resolved with help for small groups; the council's "
        "objection is recorded, and unspent money can move between wards in February.",
        closed_days_ago=45,
        review_in_days=120,
    ),
    DemoMoment(
        title="How to support people while they wait for mental health care",
        question="The partnership has £60,000 this year for people waiting for talking therapies and community "
        "mental health support. Which should it fund first?",
        subject=Subject.PRIORITY,
        priority="Support for people while they wait for mental health care",
        method=Method.BALANCED_VOTE,
        choices=(
            "More places in VCSE peer support groups",
            "A named contact who calls everyone on the waiting list each month",
        ),
        responses=(
            Said(MAGGIE, 1),
            Said(KIT, 1, "Peer support is what got me through."),
            Said(SAM, 1),
            Said(FARAH, 1, "Our groups are full and have a waiting list of their own."),
            Said(ALAN, 1),
            Said(JOSH, 1),
            Said(PRIYA, 2),
            Said(GARETH, 2),
            Said(RUTH, 2),
            Said(OWEN, 2, "People tell us the worst part is not knowing where they are in the queue."),
            Said(ROSA, 2, "When I waited, one phone call a month would have kept me going."),
            Said(JAMIE, 2),
            Said(WINSTON, 1),
        ),
        opened_days_ago=24,
        reasons="With each sector carrying equal weight, the named contact carried: every statutory member and "
        "two of the three members with lived experience chose it, while every VCSE member chose peer support. "
        "Counting one vote per person would have chosen peer support groups, by one vote. The design group will "
        "look at how the monthly call can offer a place in a peer support group too.",
        closed_days_ago=10,
        review_in_days=90,
    ),
    DemoMoment(
        title="Where the loneliness fund goes first",
        question="The first £40,000 for the priority on loneliness can reach one area this year. Which area first?",
        subject=Subject.PRIORITY,
        priority="Fewer people lonely and cut off",
        method=Method.BALANCED_VOTE,
        choices=("Eastfield", "Upper Dale and Lower Dale", "Kestrel Moor"),
        responses=(
            Said(PRIYA, 1),
            Said(KIT, 2),
            Said(ROSA, 2, "The Dales have no bus after six."),
            Said(FARAH, 1),
        ),
        opened_days_ago=5,
        closes_in_days=12,
    ),
)


def _ago(demo: TogetherDemo, days: int) -> datetime.datetime:
    moment = datetime.datetime.combine(demo.today - datetime.timedelta(days=days), datetime.time(18, 0))
    return timezone.make_aware(moment)


def _open(demo: TogetherDemo, spec: DemoMoment) -> DecisionMoment:
    priority = Priority.objects.filter(partnership=demo.partnership, title=spec.priority).first()
    subject = spec.subject if priority is not None or spec.subject != Subject.PRIORITY else Subject.DESIGN
    vote = spec.method == Method.BALANCED_VOTE
    return open_moment(
        actor=demo.person(COORDINATOR),
        partnership=demo.partnership,
        subject=subject,
        title=spec.title,
        question=spec.question,
        method=spec.method,
        proposal="" if vote else spec.choices[0],
        options=spec.choices if vote else (),
        priority=priority if subject == Subject.PRIORITY else None,
        require_lived_experience=spec.require_lived_experience,
        closes_on=demo.today + datetime.timedelta(days=spec.closes_in_days) if spec.closes_in_days else None,
    )


def _load_one(demo: TogetherDemo, spec: DemoMoment) -> None:
    moment = _open(demo, spec)
    options = {o.position: o.pk for o in moment.options.all()}
    responses = {}
    for said in spec.responses:
        person = demo.person(said.by)
        if isinstance(said.answer, int):
            given = respond(actor=person, moment=moment, option_id=options[said.answer], reason=said.reason)
        else:
            given = respond(actor=person, moment=moment, position=said.answer, reason=said.reason)
        responses[said.by] = given
    coordinator = demo.person(COORDINATOR)
    for settled in spec.settled:
        resolve_objection(
            actor=coordinator,
            moment=moment,
            response=responses[settled.by],
            outcome=settled.outcome,
            note=settled.note,
        )
    updates: dict[str, object] = {"created_at": _ago(demo, spec.opened_days_ago)}
    if spec.reasons:
        close_moment(
            actor=coordinator,
            moment=moment,
            reasons=spec.reasons,
            review_on=demo.today + datetime.timedelta(days=spec.review_in_days),
        )
        updates["closed_at"] = _ago(demo, spec.closed_days_ago)
        Interaction.objects.filter(
            partnership=demo.partnership, kind=Interaction.Kind.DECISION_MOMENT, summary__contains=f"“{spec.title}”"
        ).update(occurred_on=demo.today - datetime.timedelta(days=spec.closed_days_ago))
    DecisionMoment.objects.filter(pk=moment.pk).update(**updates)


def load(demo: TogetherDemo) -> None:
    for spec in MOMENTS:
        if not DecisionMoment.objects.filter(partnership=demo.partnership, title=spec.title).exists():
            _load_one(demo, spec)
