"""Working out a decision moment's outcome from its responses. Pure: no database, no Django.

Three methods:
- consensus: the proposal is adopted unless anyone blocks it (a block always has a reason);
- consent: the proposal is adopted once every objection is resolved or recorded; it cannot be
  decided while an objection is still open;
- sector-balanced vote: each voice present (statutory, VCSE, lived experience, other) carries the
  same total weight, shared equally among the people voting with that voice, so a sector with
  many members cannot outvote one with few. The option with the most weight wins; equal weights
  at the top are a tie. The raw count (one person, one vote) is kept beside it for comparison.

Weights are exact fractions, so adding more people to a sector who vote the same way changes
nothing, exactly, rather than nearly.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

STATUTORY = "statutory"
VCSE = "vcse"
LIVED_EXPERIENCE = "lived_experience"
OTHER = "other"
VOICES = (STATUTORY, VCSE, LIVED_EXPERIENCE, OTHER)

CONSENSUS = "consensus"
CONSENT = "consent"
BALANCED_VOTE = "balanced_vote"

ADOPTED = "adopted"
BLOCKED = "blocked"
TIED = "tied"

AGREE = "agree"
STAND_ASIDE = "stand_aside"
BLOCK = "block"
CONSENT_GIVEN = "consent"
OBJECT = "object"
VOTE = "vote"

OPEN = "open"
RESOLVED = "resolved"
RECORDED = "recorded"

POSITIONS = {
    CONSENSUS: (AGREE, STAND_ASIDE, BLOCK),
    CONSENT: (CONSENT_GIVEN, OBJECT),
    BALANCED_VOTE: (VOTE,),
}


@dataclass(frozen=True)
class Ballot:
    """One person's response, as the tally sees it."""

    voice: str
    position: str
    option: int | None = None
    reason: str = ""
    objection: str = ""  # for an objection: open, resolved or recorded
    note: str = ""  # how an objection was resolved, or why it was recorded
    lived_experience: bool = False
    by: str = ""  # who, for listing reasons: an organisation's name, or the voice


@dataclass(frozen=True)
class Decision:
    result: str  # ADOPTED, BLOCKED or TIED
    chosen: int | None  # the option carried, if any
    tally: dict[str, Any]  # JSON-ready detail, kept on the moment as it was at closing


class OpenObjectionsError(ValueError):
    """A consent decision cannot be made while an objection is open."""


@dataclass(frozen=True)
class VoteTally:
    options: tuple[int, ...]
    raw: dict[int, int]  # votes per option, one person one vote
    weights: dict[int, Fraction]  # sector-balanced weight per option
    voters: dict[str, int]  # how many voted with each voice present
    winner: int | None  # None when the top weights are equal
    raw_winner: int | None  # None when the top raw counts are equal

    @property
    def total_weight(self) -> int:
        """One for each voice present."""
        return len(self.voters)

    def share(self, option: int) -> Decimal:
        """The option's share of the total weight, as a percentage to one decimal place."""
        if not self.total_weight:
            return Decimal("0.0")
        exact = self.weights[option] * 100 / self.total_weight
        return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def differs(self) -> bool:
        """Whether counting heads would have given a different result."""
        return self.winner != self.raw_winner


def _single_top(scores: dict[int, Any]) -> int | None:
    if not scores:
        return None
    best = max(scores.values())
    top = [option for option, score in scores.items() if score == best]
    return top[0] if len(top) == 1 else None


def balanced_vote(ballots: Iterable[Ballot], options: Sequence[int]) -> VoteTally:
    """Each voice present shares one unit of weight equally among its voters."""
    votes = [b for b in ballots if b.position == VOTE]
    unknown = {b.option for b in votes} - set(options)
    if unknown:
        raise ValueError(f"Votes for options that are not part of this decision: {sorted(map(str, unknown))}")
    voters = Counter(b.voice for b in votes)
    weights = dict.fromkeys(options, Fraction(0))
    raw = dict.fromkeys(options, 0)
    for b in votes:
        assert b.option is not None  # checked above: None is never one of the options
        weights[b.option] += Fraction(1, voters[b.voice])
        raw[b.option] += 1
    present = {voice: voters[voice] for voice in VOICES if voters[voice]}
    present.update({voice: n for voice, n in voters.items() if voice not in present})
    return VoteTally(
        options=tuple(options),
        raw=raw,
        weights=weights,
        voters=present,
        winner=_single_top(weights),
        raw_winner=_single_top(raw),
    )


@dataclass(frozen=True)
class ConsensusTally:
    counts: dict[str, int]  # agree, stand_aside, block
    blocks: list[Ballot]

    @property
    def blocked(self) -> bool:
        return bool(self.blocks)


def consensus(ballots: Iterable[Ballot]) -> ConsensusTally:
    """Blocked if anyone blocks; standing aside lets the proposal through."""
    given = [b for b in ballots if b.position in POSITIONS[CONSENSUS]]
    counts = {position: sum(1 for b in given if b.position == position) for position in POSITIONS[CONSENSUS]}
    return ConsensusTally(counts=counts, blocks=[b for b in given if b.position == BLOCK])


@dataclass(frozen=True)
class ConsentTally:
    counts: dict[str, int]  # consent, object
    objections: list[Ballot]

    @property
    def open_objections(self) -> list[Ballot]:
        return [b for b in self.objections if b.objection not in (RESOLVED, RECORDED)]


def consent(ballots: Iterable[Ballot]) -> ConsentTally:
    given = [b for b in ballots if b.position in POSITIONS[CONSENT]]
    counts = {position: sum(1 for b in given if b.position == position) for position in POSITIONS[CONSENT]}
    return ConsentTally(counts=counts, objections=[b for b in given if b.position == OBJECT])


def _voice_label(voice: str) -> str:
    return {STATUTORY: "Statutory", VCSE: "VCSE", LIVED_EXPERIENCE: "Lived experience", OTHER: "Other"}.get(
        voice, voice
    )


def _reasons(ballots: Iterable[Ballot]) -> list[dict[str, str]]:
    return [
        {
            "voice": b.voice,
            "by": b.by or _voice_label(b.voice),
            "reason": b.reason,
            "status": b.objection,
            "note": b.note,
        }
        for b in ballots
    ]


def decide(method: str, ballots: Sequence[Ballot], options: Sequence[int]) -> Decision:
    """The outcome by the moment's method. Consensus and consent decide on a single proposal
    (the first option); a vote chooses between the options. Raises OpenObjectionsError for a
    consent decision with an objection still open."""
    if method == CONSENSUS:
        found = consensus(ballots)
        result = BLOCKED if found.blocked else ADOPTED
        return Decision(
            result=result,
            chosen=options[0] if result == ADOPTED and options else None,
            tally={"method": method, "counts": found.counts, "blocks": _reasons(found.blocks)},
        )
    if method == CONSENT:
        agreed = consent(ballots)
        if agreed.open_objections:
            raise OpenObjectionsError(f"{len(agreed.open_objections)} objection(s) still open")
        return Decision(
            result=ADOPTED,
            chosen=options[0] if options else None,
            tally={"method": method, "counts": agreed.counts, "objections": _reasons(agreed.objections)},
        )
    if method == BALANCED_VOTE:
        vote = balanced_vote(ballots, options)
        return Decision(
            result=ADOPTED if vote.winner is not None else TIED,
            chosen=vote.winner,
            tally={
                "method": method,
                "options": [
                    {"id": o, "raw": vote.raw[o], "weight": str(vote.weights[o]), "share": str(vote.share(o))}
                    for o in vote.options
                ],
                "voters": vote.voters,
                "winner": vote.winner,
                "raw_winner": vote.raw_winner,
                "differs": vote.differs,
            },
        )
    raise ValueError(f"Unknown method: {method}")


def has_lived_experience(ballot: Ballot) -> bool:
    return ballot.lived_experience or ballot.voice == LIVED_EXPERIENCE


def quorum_problems(ballots: Iterable[Ballot], *, require_lived_experience: bool) -> list[str]:
    """Why the quorum is not met, in plain English; empty when it is. By default a decision
    needs at least one statutory and one VCSE responder, and someone with lived experience
    when the moment asks for it."""
    given = list(ballots)
    voices = {b.voice for b in given}
    missing = []
    if STATUTORY not in voices:
        missing.append("no statutory member has responded")
    if VCSE not in voices:
        missing.append("no VCSE member has responded")
    if require_lived_experience and not any(has_lived_experience(b) for b in given):
        missing.append("nobody with lived experience has responded")
    return [f"The quorum is not met: {reason}" for reason in missing]


def room(ballots: Iterable[Ballot]) -> dict[str, int]:
    """Who was in the room: responders by voice, how many bring lived experience, and the total."""
    given = list(ballots)
    counts = Counter(b.voice for b in given)
    result = {voice: counts[voice] for voice in VOICES}
    result["with_lived_experience"] = sum(1 for b in given if has_lived_experience(b))
    result["total"] = len(given)
    return result
