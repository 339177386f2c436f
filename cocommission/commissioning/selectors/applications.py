"""Reads for application pages: the list of a person's applications, and everything one
application page shows (answers with their word counts, the passport attached, the consortium)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.organisations.models import Membership, Organisation, PassportDocument
from cocommission.organisations.selectors.passport import PassportSummary, passport_summary

from ..models import Application, ApplicationDecision, ConsortiumMember, OpportunityOutcome, Question
from ..permissions import can_change_application, can_manage, panel_member_for
from ..proportionality import count_words
from ..routes import Route
from ..services.application_rules import closed_message, govuk_time, percent, submission_problems
from .decisions import decision_for_application


def applications_for(user: User) -> QuerySet[Application]:
    """Applications from the person's organisations, alone or in a consortium they have not
    declined, newest first. Each consortium carries `my_places`: the person's organisations'
    places in it. Three queries for a page, however many rows."""
    if not user.is_authenticated:
        return Application.objects.none()
    organisation_ids = Membership.objects.filter(user=user).values("organisation_id")
    consortia = (
        ConsortiumMember.objects.filter(organisation_id__in=organisation_ids)
        .exclude(status=ConsortiumMember.Status.DECLINED)
        .values("consortium_id")
    )
    my_places = ConsortiumMember.objects.filter(organisation_id__in=organisation_ids).select_related("organisation")
    return (
        Application.objects.filter(Q(organisation_id__in=organisation_ids) | Q(consortium_id__in=consortia))
        .select_related("opportunity", "opportunity__funder", "organisation", "consortium")
        .prefetch_related(Prefetch("consortium__members", queryset=my_places, to_attr="my_places"))
        .order_by("-created_at", "-pk")
    )


def organisations_for(user: User) -> QuerySet[Organisation]:
    """The organisations a person can apply for: those they belong to."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def member_organisation_ids(user: User) -> set[int]:
    """Every organisation the person belongs to, whatever their role."""
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def admin_organisation_ids(user: User) -> set[int]:
    """Organisations the person is an admin of: they confirm consortium invitations for them."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values_list("organisation_id", flat=True)
    )


@dataclass
class AnswerRow:
    position: int
    question: Question
    text: str
    words: int

    @property
    def over(self) -> bool:
        return self.words > self.question.word_limit


@dataclass
class MemberRow:
    member: ConsortiumMember
    outcomes: list[OpportunityOutcome]
    can_respond: bool


@dataclass
class ConsortiumView:
    members: list[MemberRow]
    declined: list[ConsortiumMember]
    budget_total: Decimal
    risk_total: Decimal
    is_alliance: bool

    @property
    def budget_total_text(self) -> str:
        return percent(self.budget_total)

    @property
    def risk_total_text(self) -> str:
        return percent(self.risk_total)


@dataclass
class SnapshotGroup:
    organisation: Organisation
    documents: list[PassportDocument]
    # Whether the viewer may open the files: the organisation's members, and the people assessing.
    downloadable: bool = False


@dataclass
class ApplicationPage:
    application: Application
    answers: list[AnswerRow]
    total_words: int
    can_change: bool
    is_draft: bool
    closed: str | None
    closing_text: str
    problems: list[str]
    passports: list[PassportSummary] = field(default_factory=list)
    snapshot: list[SnapshotGroup] = field(default_factory=list)
    consortium: ConsortiumView | None = None
    decision: ApplicationDecision | None = None

    @property
    def editable(self) -> bool:
        return self.can_change and self.is_draft and self.closed is None


def consortium_view(application: Application, *, user: User) -> ConsortiumView | None:
    """The consortium's members with what each delivers and carries, and the share totals."""
    if application.consortium is None:
        return None
    everyone = list(
        application.consortium.members.select_related("organisation").prefetch_related(
            Prefetch("outcomes", queryset=OpportunityOutcome.objects.order_by("created_at", "pk"))
        )
    )
    admin_of = admin_organisation_ids(user)
    active = [m for m in everyone if m.status != ConsortiumMember.Status.DECLINED]
    return ConsortiumView(
        members=[
            MemberRow(member=m, outcomes=list(m.outcomes.all()), can_respond=m.organisation_id in admin_of)
            for m in active
        ],
        declined=[m for m in everyone if m.status == ConsortiumMember.Status.DECLINED],
        budget_total=sum((m.budget_share for m in active), Decimal("0")),
        risk_total=sum((m.risk_share for m in active), Decimal("0")),
        is_alliance=application.opportunity.route == Route.ALLIANCE,
    )


def applying_organisations(application: Application) -> list[Organisation]:
    """The starting organisation and the consortium members that have confirmed."""
    organisations = [application.organisation]
    if application.consortium is not None:
        organisations += [
            m.organisation
            for m in application.consortium.members.filter(status=ConsortiumMember.Status.CONFIRMED)
            .exclude(organisation_id=application.organisation_id)
            .select_related("organisation")
        ]
    return organisations


def application_page(
    application: Application, *, user: User, now: datetime.datetime | None = None, answers: dict[int, str] | None = None
) -> ApplicationPage:
    """Everything the application page shows. `answers`, when given, are the words just typed
    (a refused save), so the counts match what the person sees."""
    now = now or timezone.now()
    opportunity = application.opportunity
    saved = {answer.question_id: answer.text for answer in application.answers.all()}
    texts = {**saved, **(answers or {})}
    rows = [
        AnswerRow(position=i, question=q, text=texts.get(q.pk, ""), words=count_words(texts.get(q.pk, "")))
        for i, q in enumerate(opportunity.questions.all(), start=1)
    ]
    is_draft = application.status == Application.Status.DRAFT
    page = ApplicationPage(
        application=application,
        answers=rows,
        total_words=sum(row.words for row in rows),
        can_change=can_change_application(user, application),
        is_draft=is_draft,
        closed=closed_message(opportunity, now=now, doing="changed"),
        closing_text=govuk_time(opportunity.closes_at) if opportunity.closes_at else "",
        problems=[],
        consortium=consortium_view(application, user=user),
        decision=decision_for_application(application),
    )
    if is_draft:
        page.problems = [text for texts in submission_problems(application, now=now).values() for text in texts]
    if application.status != Application.Status.SUBMITTED:
        # Until it is submitted, the passport that will go with it is whatever is current.
        page.passports = [passport_summary(organisation=o) for o in applying_organisations(application)]
    else:
        documents = list(
            application.passport_documents.select_related("organisation").order_by("organisation__name", "kind")
        )
        # The same people organisations.permissions.access_passport_document lets download them.
        assessor = can_manage(user, opportunity) or panel_member_for(user, opportunity) is not None
        mine = set() if assessor else member_organisation_ids(user)
        groups: dict[int, SnapshotGroup] = {}
        for document in documents:
            groups.setdefault(
                document.organisation_id,
                SnapshotGroup(
                    organisation=document.organisation,
                    documents=[],
                    downloadable=assessor or document.organisation_id in mine,
                ),
            ).documents.append(document)
        page.snapshot = list(groups.values())
    return page
