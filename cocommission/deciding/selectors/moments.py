"""Reads for decision moments, shaped for the list and the moment page.

While a moment is open nobody sees anyone else's response: the page shows only how many have
responded, by voice. The coordinator of a consent decision also sees the objections, because
each must be resolved or recorded before it can close. Once closed, everything is shown.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from cocommission.accounts.models import User
from cocommission.needs.models import Priority
from cocommission.partnerships.models import Partnership

from .. import tally
from ..models import DecisionMoment, DecisionOption, Response, Voice

VOICE_ORDER = [Voice.STATUTORY, Voice.VCSE, Voice.LIVED_EXPERIENCE, Voice.OTHER]
STATUS_FILTERS = {"open": DecisionMoment.Status.OPEN, "closed": DecisionMoment.Status.CLOSED}


def moments_of(partnership: Partnership, status: str = "") -> QuerySet[DecisionMoment]:
    """The partnership's moments, newest first, each with its number of responses."""
    moments = (
        DecisionMoment.objects.filter(partnership=partnership)
        .select_related("priority", "chosen_option")
        .annotate(response_count=Count("responses"))
        .order_by("-created_at", "-id")
    )
    if status in STATUS_FILTERS:
        moments = moments.filter(status=STATUS_FILTERS[status])
    return moments


def priority_choices(partnership: Partnership) -> QuerySet[Priority]:
    """Priorities a decision can be about: the partnership's, except retired ones."""
    return Priority.objects.filter(partnership=partnership).exclude(status=Priority.Status.RETIRED).order_by("title")


@dataclass(frozen=True)
class VoiceCount:
    voice: str
    label: str
    count: int


def responses_by_voice(moment: DecisionMoment) -> tuple[list[VoiceCount], int]:
    """How many have responded with each voice, and how many bring lived experience."""
    grouped = moment.responses.order_by().values("voice").annotate(n=Count("id"))
    counts = {row["voice"]: row["n"] for row in grouped}
    rows = [VoiceCount(v.value, v.label, counts.get(v.value, 0)) for v in VOICE_ORDER]
    lived = moment.responses.filter(Q(lived_experience=True) | Q(voice=Voice.LIVED_EXPERIENCE)).count()
    return rows, lived


def my_response(moment: DecisionMoment, user: User) -> Response | None:
    if not user.is_authenticated:
        return None
    return moment.responses.select_related("option").filter(person=user).first()


def objections(moment: DecisionMoment) -> list[Response]:
    """Objections to a consent decision, for the coordinator to resolve or record."""
    return list(moment.responses.filter(position=Response.Position.OBJECT).select_related("person", "organisation"))


@dataclass(frozen=True)
class OptionResult:
    option: DecisionOption
    raw: int
    share: str
    weight: str
    chosen: bool
    raw_winner: bool


def vote_results(moment: DecisionMoment, options: list[DecisionOption]) -> list[OptionResult]:
    """Each option's raw count and sector-balanced share, as kept at closing."""
    kept = {row["id"]: row for row in moment.tally.get("options", [])}
    raw_winner = moment.tally.get("raw_winner")
    return [
        OptionResult(
            option=o,
            raw=int(kept.get(o.pk, {}).get("raw", 0)),
            share=str(kept.get(o.pk, {}).get("share", "0.0")),
            weight=str(kept.get(o.pk, {}).get("weight", "0")),
            chosen=o.pk == moment.chosen_option_id,
            raw_winner=o.pk == raw_winner,
        )
        for o in options
    ]


def room_rows(moment: DecisionMoment) -> list[VoiceCount]:
    return [VoiceCount(v.value, v.label, int(moment.room.get(v.value, 0))) for v in VOICE_ORDER]


def closed_responses(moment: DecisionMoment) -> list[Response]:
    """Every response, once the moment has closed, grouped by voice."""
    if moment.status != DecisionMoment.Status.CLOSED:
        return []
    responses = list(moment.responses.select_related("organisation", "option"))
    order = {v.value: n for n, v in enumerate(VOICE_ORDER)}
    return sorted(responses, key=lambda r: (order.get(r.voice, 9), r.organisation.name if r.organisation else ""))


def moment_page(moment: DecisionMoment, *, user: User, coordinator: bool) -> dict[str, Any]:
    """Everything the moment page shows, without anyone else's response while it is open."""
    options = list(moment.options.all())
    is_open = moment.status == DecisionMoment.Status.OPEN
    counts, lived = responses_by_voice(moment)
    context: dict[str, Any] = {
        "moment": moment,
        "options": options,
        "is_open": is_open,
        "counts": counts,
        "lived_count": lived,
        "response_total": sum(c.count for c in counts),
        "mine": my_response(moment, user),
        "coordinator": coordinator,
    }
    if is_open:
        show_objections = coordinator and moment.method == DecisionMoment.Method.CONSENT
        context["objections"] = objections(moment) if show_objections else []
        return context
    context.update(
        {
            "results": vote_results(moment, options) if moment.method == DecisionMoment.Method.BALANCED_VOTE else [],
            "raw_winner": next((o for o in options if o.pk == moment.tally.get("raw_winner")), None),
            "differs": bool(moment.tally.get("differs")),
            "counts_kept": moment.tally.get("counts", {}),
            "blocks": moment.tally.get("blocks", []),
            "kept_objections": moment.tally.get("objections", []),
            "voters": [
                VoiceCount(v.value, v.label, int(moment.tally.get("voters", {}).get(v.value, 0)))
                for v in VOICE_ORDER
                if moment.tally.get("voters", {}).get(v.value)
            ],
            "room": room_rows(moment),
            "room_lived": int(moment.room.get("with_lived_experience", 0)),
            "room_total": int(moment.room.get("total", 0)),
            "responses": closed_responses(moment),
        }
    )
    return context


def ballot_of(response: Response) -> tally.Ballot:
    """A response as the tally sees it."""
    return tally.Ballot(
        voice=response.voice,
        position=response.position,
        option=response.option_id,
        reason=response.reason,
        objection=response.objection,
        note=response.objection_note,
        lived_experience=response.lived_experience,
        by=response.organisation.name if response.organisation else Voice(response.voice).label,
    )


def close_problems(moment: DecisionMoment, responses: Sequence[Response]) -> list[str]:
    """What stops the moment closing now: the quorum, and open objections."""
    ballots = [ballot_of(r) for r in responses]
    problems = tally.quorum_problems(ballots, require_lived_experience=moment.require_lived_experience)
    if moment.method == DecisionMoment.Method.CONSENT:
        still_open = tally.consent(ballots).open_objections
        if still_open:
            count = f"{len(still_open)} objection{' is' if len(still_open) == 1 else 's are'}"
            problems.append(f"Mark each objection resolved or recorded before closing: {count} still open")
    return problems


def close_problems_for(moment: DecisionMoment) -> list[str]:
    """The same, shown to the coordinator before they try to close it."""
    return close_problems(moment, list(moment.responses.select_related("organisation")))
