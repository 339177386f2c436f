"""Reads for opportunity pages, shaped so the number of queries does not grow with the rows."""

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core.models import AuditEvent
from cocommission.organisations.models import IncomeBand, Membership, Organisation
from cocommission.partnerships.models import Partnership, PartnershipPerson

from ..models import Application, ApplicationDecision, Criterion, Opportunity, OpportunityOutcome, Question
from ..permissions import can_manage, can_propose_outcome, coordinated_partnership_ids, opportunities_visible_to
from ..proportionality import BANDS, estimated_hours
from ..routes import OPEN_CALL_ROUTES, ROUTE_STEPS, State, next_state

# From closing onwards the page can say how much people actually wrote.
AFTER_CLOSING = frozenset({State.CLOSED, State.SCORING, State.DECIDED, State.STANDSTILL, State.AWARDED})
# Once decided, the page shows who applied and who was funded, by size of organisation.
AFTER_DECISION = frozenset({State.DECIDED, State.STANDSTILL, State.AWARDED})
CONSORTIUM_GROUP = "consortium"


# ---- Lists ------------------------------------------------------------------------------------


def managed_or_designed_by(user: User) -> Q:
    """Opportunities the person's organisations fund, or whose partnership they belong to."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    funders = Membership.objects.filter(user=user).values("organisation_id")
    partnerships = PartnershipPerson.objects.filter(user=user).values("partnership_id")
    seats = Membership.objects.filter(user=user).values("organisation__partnership_seats__partnership_id")
    return Q(funder_id__in=funders) | Q(partnership_id__in=partnerships) | Q(partnership_id__in=seats)


def opportunity_list(*, user: User, route: str = "", state: str = "", mine: bool = False) -> QuerySet[Opportunity]:
    """Published opportunities, plus the drafts this person manages or co-designs; newest first."""
    queryset = Opportunity.objects.filter(opportunities_visible_to(user))
    if mine:
        queryset = queryset.filter(managed_or_designed_by(user))
    if route:
        queryset = queryset.filter(route=route)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.select_related("funder", "partnership").order_by("-created_at", "-id")


def funder_choices(*, user: User) -> QuerySet[Organisation]:
    """Statutory organisations this person may open an opportunity for: their own, and the
    statutory members of partnerships they coordinate."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    own = Q(memberships__user=user)
    coordinated = Q(partnership_seats__partnership_id__in=coordinated_partnership_ids(user))
    return Organisation.objects.filter(own | coordinated, kind=Organisation.Kind.STATUTORY).distinct().order_by("name")


def partnership_choices(*, user: User) -> QuerySet[Partnership]:
    """Partnerships an opportunity may belong to: those the person coordinates, and those where
    one of their statutory organisations has a seat."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    statutory_seats = Q(
        member_organisations__organisation__memberships__user=user,
        member_organisations__organisation__kind=Organisation.Kind.STATUTORY,
    )
    coordinated = Q(pk__in=coordinated_partnership_ids(user))
    return Partnership.objects.filter(statutory_seats | coordinated).distinct().order_by("name")


def can_open_any(*, user: User) -> bool:
    return funder_choices(user=user).exists()


def dashboard_opportunities(*, user: User, limit: int = 5) -> list[Opportunity]:
    """The latest opportunities the person manages or helps design, for the dashboard."""
    queryset = Opportunity.objects.filter(managed_or_designed_by(user)).exclude(state=State.CANCELLED)
    return list(queryset.select_related("funder").order_by("-created_at", "-id")[:limit])


@dataclass(frozen=True)
class BandRow:
    label: str
    max_questions: int
    max_words: int
    max_documents: int
    hours: Decimal


def band_rows() -> list[BandRow]:
    """The value bands with the time to apply at each band's ceiling, for the opportunity form."""
    return [
        BandRow(
            str(b.label),
            b.max_questions,
            b.max_words,
            b.max_documents,
            estimated_hours(questions=b.max_questions, words=b.max_words, documents=b.max_documents),
        )
        for b in BANDS
    ]


# ---- The opportunity page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """What an applicant is asked for, and how long it should take."""

    questions: int
    words: int
    documents: int
    hours: Decimal
    from_questions: bool  # False while no questions are written: the figures are the limits


def ask_for(opportunity: Opportunity, questions: list[Question]) -> Ask:
    """The questions written so far (or, before any are, the limits) and the time to apply."""
    if questions:
        count, words = len(questions), sum(q.word_limit for q in questions)
    else:
        count, words = opportunity.max_questions, opportunity.word_limit
    hours = estimated_hours(questions=count, words=words, documents=opportunity.extra_documents)
    return Ask(count, words, opportunity.extra_documents, hours, bool(questions))


@dataclass(frozen=True)
class WordsStats:
    """How much applicants wrote, and how many words were asked per £1,000 requested.

    words_per_thousand = total words asked ÷ (median amount requested ÷ £1,000): for a typical
    applicant, the words written for each £1,000 asked for.
    """

    submitted: int
    median_words: Decimal | None
    median_requested: Decimal | None
    words_asked: int
    words_per_thousand: Decimal | None


def _median(values: list[Decimal]) -> Decimal | None:
    return Decimal(statistics.median(values)) if values else None


def words_stats(opportunity: Opportunity, *, words_asked: int | None = None) -> WordsStats:
    """Median words submitted and words asked per £1,000 requested, over submitted applications.
    One query whatever the number of applications."""
    rows = list(
        Application.objects.filter(opportunity=opportunity, status=Application.Status.SUBMITTED).values_list(
            "total_words", "amount_requested"
        )
    )
    asked = opportunity.word_limit if words_asked is None else words_asked
    median_words = _median([Decimal(words) for words, _ in rows])
    median_requested = _median([amount for _, amount in rows if amount is not None])
    per_thousand = None
    if median_requested:
        per_thousand = (Decimal(asked) / (median_requested / 1000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if median_words is not None:
        median_words = median_words.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return WordsStats(len(rows), median_words, median_requested, asked, per_thousand)


@dataclass(frozen=True)
class StatsRow:
    key: str
    label: str
    applications: int
    awarded: int
    total_awarded: Decimal

    @property
    def success_rate(self) -> int | None:
        return round(100 * self.awarded / self.applications) if self.applications else None


@dataclass(frozen=True)
class PublicStats:
    applications: int
    awarded: int
    total_awarded: Decimal
    by_band: list[StatsRow] = field(default_factory=list)

    @property
    def success_rate(self) -> int | None:
        return round(100 * self.awarded / self.applications) if self.applications else None


_BAND_ORDER = [*IncomeBand.values, CONSORTIUM_GROUP]


def public_stats(opportunity: Opportunity) -> PublicStats:
    """Submitted applications, awards and money awarded, by the applicant's income band.
    A consortium's application counts once, in its own group. One query."""
    awarded = Q(decision__outcome=ApplicationDecision.Outcome.AWARD)
    rows = (
        Application.objects.filter(opportunity=opportunity, status=Application.Status.SUBMITTED)
        .annotate(
            group=Case(
                When(consortium__isnull=False, then=Value(CONSORTIUM_GROUP)),
                default=F("organisation__income_band"),
                output_field=CharField(),
            )
        )
        .values("group")
        .annotate(n=Count("id"), won=Count("id", filter=awarded), money=Sum("decision__amount", filter=awarded))
        .order_by()
    )
    labels = dict(IncomeBand.choices) | {CONSORTIUM_GROUP: "Consortium applications"}
    by_band = sorted(
        (
            StatsRow(
                key=row["group"],
                label=str(labels.get(row["group"], row["group"])),
                applications=row["n"],
                awarded=row["won"],
                total_awarded=row["money"] or Decimal("0"),
            )
            for row in rows
        ),
        key=lambda r: _BAND_ORDER.index(r.key) if r.key in _BAND_ORDER else len(_BAND_ORDER),
    )
    return PublicStats(
        applications=sum(r.applications for r in by_band),
        awarded=sum(r.awarded for r in by_band),
        total_awarded=sum((r.total_awarded for r in by_band), Decimal("0")),
        by_band=by_band,
    )


@dataclass(frozen=True)
class Step:
    state: str
    label: str
    current: bool
    done: bool


def steps_for(opportunity: Opportunity) -> list[Step]:
    sequence = ROUTE_STEPS[opportunity.route]
    index = sequence.index(opportunity.state) if opportunity.state in sequence else len(sequence)
    return [
        Step(state=s, label=str(State(s).label), current=i == index, done=i < index) for i, s in enumerate(sequence)
    ]


@dataclass
class OpportunityPage:
    opportunity: Opportunity
    criteria: list[Criterion]
    questions: list[Question]
    outcomes: list[OpportunityOutcome]
    areas: list[str]
    ask: Ask
    is_manager: bool
    is_co_designer: bool
    steps: list[Step]
    next_state: str | None
    next_problems: list[str]
    words: WordsStats | None
    stats: PublicStats | None
    cancel_reason: str = ""

    @property
    def eligible_kinds(self) -> list[str]:
        labels = dict(Organisation.Kind.choices)
        return [str(labels.get(k, k)) for k in self.opportunity.eligible_kinds]

    @property
    def eligible_bands(self) -> list[str]:
        labels = dict(IncomeBand.choices)
        return [str(labels.get(b, b)) for b in self.opportunity.eligible_income_bands]

    @property
    def closes_in_future(self) -> bool:
        closes = self.opportunity.closes_at
        return closes is not None and closes > timezone.now()

    @property
    def can_cancel(self) -> bool:
        return self.is_manager and self.opportunity.state not in (State.AWARDED, State.CANCELLED)

    @property
    def weights_total(self) -> int:
        return sum(c.weight for c in self.criteria)

    @property
    def open_call(self) -> bool:
        return self.opportunity.route in OPEN_CALL_ROUTES

    @property
    def next_state_label(self) -> str:
        return str(State(self.next_state).label) if self.next_state else ""


def opportunity_page(*, opportunity: Opportunity, user: User) -> OpportunityPage:
    """Everything the opportunity page shows, in a fixed number of queries."""
    from ..services.transitions import readiness_problems

    manager = can_manage(user, opportunity)
    co_designer = manager or can_propose_outcome(user, opportunity)
    outcomes = OpportunityOutcome.objects.filter(opportunity=opportunity).select_related("proposed_by_organisation")
    if not co_designer:
        outcomes = outcomes.filter(status=OpportunityOutcome.Status.AGREED)
    questions = list(opportunity.questions.all())
    ask = ask_for(opportunity, questions)
    upcoming = next_state(opportunity.route, opportunity.state)
    open_call = opportunity.route in OPEN_CALL_ROUTES
    return OpportunityPage(
        opportunity=opportunity,
        criteria=list(opportunity.criteria.all()),
        questions=questions,
        outcomes=list(outcomes),
        areas=[a.name for a in opportunity.eligible_areas.all()],
        ask=ask,
        is_manager=manager,
        is_co_designer=co_designer,
        steps=steps_for(opportunity),
        next_state=upcoming,
        next_problems=readiness_problems(opportunity, upcoming) if manager and upcoming else [],
        words=words_stats(opportunity, words_asked=ask.words)
        if open_call and opportunity.state in AFTER_CLOSING
        else None,
        stats=public_stats(opportunity) if open_call and opportunity.state in AFTER_DECISION else None,
        cancel_reason=cancel_reason(opportunity) if opportunity.state == State.CANCELLED else "",
    )


def cancel_reason(opportunity: Opportunity) -> str:
    """The reason given when the opportunity was cancelled, as kept in the audit log."""
    event = (
        AuditEvent.objects.filter(
            object_type=Opportunity._meta.label_lower, object_id=str(opportunity.pk), changes__has_key="reason"
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if event is None:
        return ""
    reason = event.changes.get("reason")
    return str(reason[-1]) if isinstance(reason, list) and reason else ""
