"""Reads for panels: the members and their balance, each member's scoring list, scores side by
side, and weighted totals with the ranking they make."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, Case, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from cocommission.accounts.models import User

from ..models import (
    Answer,
    Application,
    ConflictDeclaration,
    Criterion,
    ModeratedScore,
    Opportunity,
    Panel,
    PanelMember,
    ScoreSheet,
)
from ..services.panels import balance_problems_for

MAX_SCORE = 5
SCORE_LABELS = {
    0: "Unacceptable",
    1: "Poor",
    2: "Weak",
    3: "Satisfactory",
    4: "Good",
    5: "Excellent",
}


# ---- Weighted totals ---------------------------------------------------------------------------


def as_percentage(points: int, weight_sum: int) -> Decimal:
    """Points (Σ score × weight) as a percentage of the most the weights allow, to one decimal place.

    With weights adding up to 100 this is Σ(score × weight) / 5.
    """
    if weight_sum <= 0:
        return Decimal("0.0")
    value = Decimal(points) * 100 / (Decimal(MAX_SCORE) * Decimal(weight_sum))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def weighted_total(scored: Iterable[tuple[int, int]]) -> Decimal:
    """The weighted total (0–100) of (score, weight) pairs, one per criterion."""
    pairs = list(scored)
    return as_percentage(sum(score * weight for score, weight in pairs), sum(weight for _, weight in pairs))


# ---- Set-up ------------------------------------------------------------------------------------


@dataclass
class PanelBalance:
    counts: dict[str, int]
    problems: list[str]
    lived_experience_required: bool

    @property
    def is_balanced(self) -> bool:
        return not self.problems


def panel_of(opportunity: Opportunity) -> Panel | None:
    return Panel.objects.filter(opportunity=opportunity).first()


def panel_members(opportunity: Opportunity) -> QuerySet[PanelMember]:
    """The panel, chairs first, each with how many sheets they submitted and conflicts they declared."""
    submitted = ScoreSheet.objects.filter(member=OuterRef("pk"), submitted_at__isnull=False)
    conflicts = ConflictDeclaration.objects.filter(member=OuterRef("pk"), has_conflict=True)
    return (
        PanelMember.objects.filter(panel__opportunity=opportunity)
        .select_related("user", "organisation")
        .annotate(
            submitted_count=_count(submitted),
            conflict_count=_count(conflicts),
        )
        .order_by("-is_chair", "user__full_name", "user__email")
    )


def _count(queryset: QuerySet) -> Coalesce:
    """A per-member count as a subquery, so counting two things does not multiply the rows."""
    per_member = queryset.order_by().values("member").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(per_member, output_field=IntegerField()), 0)


def panel_balance(opportunity: Opportunity) -> PanelBalance:
    """How many members sit for each sector and what the balance rule still needs."""
    counts = {value: 0 for value in PanelMember.Sector.values}
    per_sector = PanelMember.objects.filter(panel__opportunity=opportunity).values("sector").annotate(n=Count("pk"))
    for row in per_sector.order_by():
        counts[row["sector"]] = row["n"]
    present = {sector for sector, n in counts.items() if n}
    return PanelBalance(
        counts=counts,
        problems=balance_problems_for(present, lived_experience_required=opportunity.lived_experience_on_panel),
        lived_experience_required=opportunity.lived_experience_on_panel,
    )


def panels_for_user(user: User) -> QuerySet[PanelMember]:
    """The panel seats someone holds, newest opportunity first (for a dashboard)."""
    return (
        PanelMember.objects.filter(user=user)
        .select_related("panel__opportunity", "panel__opportunity__funder")
        .order_by("-panel__opportunity__created_at")
    )


# ---- A panel member's applications -------------------------------------------------------------


def applicant_name(application: Application) -> str:
    if application.consortium_id and application.consortium is not None:
        return application.consortium.name
    return application.organisation.name


def submitted_applications(opportunity: Opportunity) -> QuerySet[Application]:
    return (
        Application.objects.filter(opportunity=opportunity, status=Application.Status.SUBMITTED)
        .select_related("organisation", "consortium")
        .order_by("submitted_at", "pk")
    )


@dataclass
class ScoringRow:
    application: Application
    applicant: str
    status: str  # declare, conflicted, score, draft, submitted
    declaration: ConflictDeclaration | None
    sheet: ScoreSheet | None

    @property
    def status_label(self) -> str:
        return {
            "declare": "Declare interests",
            "conflicted": "Conflict declared",
            "score": "Ready to score",
            "draft": "Draft saved",
            "submitted": "Submitted",
        }[self.status]


def scoring_rows(member: PanelMember, applications: Iterable[Application]) -> list[ScoringRow]:
    """Where the member is with each application, in two queries whatever the page size."""
    applications = list(applications)
    ids = [a.pk for a in applications]
    declarations = {
        d.application_id: d for d in ConflictDeclaration.objects.filter(member=member, application_id__in=ids)
    }
    sheets = {s.application_id: s for s in ScoreSheet.objects.filter(member=member, application_id__in=ids)}
    rows = []
    for application in applications:
        declaration, sheet = declarations.get(application.pk), sheets.get(application.pk)
        if declaration is None:
            status = "declare"
        elif declaration.has_conflict:
            status = "conflicted"
        elif sheet is not None and sheet.submitted_at is not None:
            status = "submitted"
        elif sheet is not None:
            status = "draft"
        else:
            status = "score"
        rows.append(ScoringRow(application, applicant_name(application), status, declaration, sheet))
    return rows


def declaration_for(member: PanelMember, application: Application) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(member=member, application=application).first()


def sheet_for(member: PanelMember, application: Application) -> ScoreSheet | None:
    return ScoreSheet.objects.filter(member=member, application=application).prefetch_related("scores").first()


def criteria_of(opportunity: Opportunity) -> list[Criterion]:
    return list(Criterion.objects.filter(opportunity=opportunity))


def answers_of(application: Application) -> QuerySet[Answer]:
    return Answer.objects.filter(application=application).select_related("question")


# ---- Scores side by side -----------------------------------------------------------------------


@dataclass
class ScoreCell:
    score: int | None
    comment: str


@dataclass
class ComparisonRow:
    criterion: Criterion
    cells: list[ScoreCell]
    moderated: ModeratedScore | None = None


@dataclass
class Comparison:
    members: list[PanelMember]
    rows: list[ComparisonRow]
    conflicts: list[ConflictDeclaration]
    not_submitted: list[PanelMember] = field(default_factory=list)


def score_comparison(application: Application, criteria: Sequence[Criterion]) -> Comparison:
    """Every submitted sheet for the application, criterion by criterion, with the declared
    conflicts and the agreed scores. A fixed number of queries."""
    sheets = list(
        ScoreSheet.objects.filter(application=application, submitted_at__isnull=False)
        .select_related("member__user", "member__organisation")
        .prefetch_related("scores")
        .order_by("member__user__full_name", "member__user__email")
    )
    moderated = {m.criterion_id: m for m in ModeratedScore.objects.filter(application=application)}
    rows = []
    for criterion in criteria:
        cells = []
        for sheet in sheets:
            score = next((s for s in sheet.scores.all() if s.criterion_id == criterion.pk), None)
            cells.append(ScoreCell(score.score, score.comment) if score else ScoreCell(None, ""))
        rows.append(ComparisonRow(criterion, cells, moderated.get(criterion.pk)))
    declarations = list(
        ConflictDeclaration.objects.filter(application=application)
        .select_related("member__user")
        .order_by("member__user__full_name")
    )
    scored = {sheet.member_id for sheet in sheets}
    conflicted = {d.member_id for d in declarations if d.has_conflict}
    waiting = (
        PanelMember.objects.filter(panel__opportunity_id=application.opportunity_id)
        .exclude(pk__in=scored | conflicted)
        .select_related("user")
    )
    return Comparison(
        members=[sheet.member for sheet in sheets],
        rows=rows,
        conflicts=[d for d in declarations if d.has_conflict],
        not_submitted=list(waiting),
    )


def moderated_total(application: Application, criteria: Sequence[Criterion]) -> Decimal | None:
    """The weighted total of the agreed scores, or None until every criterion has one."""
    agreed = {m.criterion_id: m.score for m in ModeratedScore.objects.filter(application=application)}
    if not criteria or any(c.pk not in agreed for c in criteria):
        return None
    return weighted_total((agreed[c.pk], c.weight) for c in criteria)


# ---- Ranking -----------------------------------------------------------------------------------


def ranking(opportunity: Opportunity) -> QuerySet[Application]:
    """Submitted applications, fully moderated ones first by their weighted points, then the rest.

    Each carries `points` (Σ agreed score × weight), `moderated_count` and `sheets_submitted`;
    ranking_rows turns points into a percentage with the same helper as weighted_total.
    """
    criteria_count = Criterion.objects.filter(opportunity=opportunity).count()
    agreed = ModeratedScore.objects.filter(application=OuterRef("pk")).order_by().values("application")
    sheets = (
        ScoreSheet.objects.filter(application=OuterRef("pk"), submitted_at__isnull=False)
        .order_by()
        .values("application")
    )
    return (
        submitted_applications(opportunity)
        .annotate(
            points=_subquery_int(agreed.annotate(p=Sum(F("score") * F("criterion__weight"))).values("p")),
            moderated_count=_subquery_int(agreed.annotate(n=Count("pk")).values("n")),
            sheets_submitted=_subquery_int(sheets.annotate(n=Count("pk")).values("n")),
        )
        .annotate(
            complete=Case(
                When(moderated_count=criteria_count, then=Value(criteria_count > 0)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-complete", "-points", "organisation__name", "pk")
    )


def _subquery_int(queryset: QuerySet) -> Coalesce:
    return Coalesce(Subquery(queryset[:1], output_field=IntegerField()), 0)


@dataclass
class RankingRow:
    position: int
    application: Application
    applicant: str
    total: Decimal | None
    moderated_count: int
    criteria_count: int
    sheets_submitted: int
    hidden_reason: str | None


def ranking_rows(
    opportunity: Opportunity, applications: Sequence[Application], *, start: int, viewer: User
) -> list[RankingRow]:
    """Rows for one page of the ranking. A viewer who sits on the panel does not see the totals
    of applications they are conflicted on or have not yet scored themselves."""
    criteria = criteria_of(opportunity)
    weight_sum = sum(c.weight for c in criteria)
    member = PanelMember.objects.filter(panel__opportunity=opportunity, user=viewer).first()
    ids = [a.pk for a in applications]
    conflicted: set[int] = set()
    submitted: set[int] = set()
    if member is not None:
        conflicted = set(
            ConflictDeclaration.objects.filter(member=member, application_id__in=ids, has_conflict=True).values_list(
                "application_id", flat=True
            )
        )
        submitted = set(
            ScoreSheet.objects.filter(member=member, application_id__in=ids, submitted_at__isnull=False).values_list(
                "application_id", flat=True
            )
        )
    rows = []
    for offset, application in enumerate(applications):
        hidden = None
        if member is not None and application.pk in conflicted:
            hidden = "Hidden: you declared a conflict"
        elif member is not None and application.pk not in submitted:
            hidden = "Hidden until you submit your scores"
        complete = getattr(application, "complete", False)
        rows.append(
            RankingRow(
                position=start + offset,
                application=application,
                applicant=applicant_name(application),
                total=as_percentage(application.points, weight_sum) if complete else None,  # type: ignore[attr-defined]
                moderated_count=application.moderated_count,  # type: ignore[attr-defined]
                criteria_count=len(criteria),
                sheets_submitted=application.sheets_submitted,  # type: ignore[attr-defined]
                hidden_reason=hidden,
            )
        )
    return rows


def conflicted_members(application: Application) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(application=application, has_conflict=True).select_related("member__user")
