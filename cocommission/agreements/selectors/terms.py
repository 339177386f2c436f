"""Reads for agreements' terms: the list, the providers and consortia a funder may choose, the
terms section of the agreement page, the public page, the length of a term (and whether it is
short-term), what stops an offer, and the stamp of exactly what a party signs."""

import datetime
import hashlib
import json
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, QuerySet

from cocommission.accounts.models import User
from cocommission.commissioning.models import Application, Consortium, ConsortiumMember, OpportunityOutcome
from cocommission.commissioning.services.application_rules import consortium_problems
from cocommission.organisations.models import Organisation
from cocommission.organisations.selectors import SEARCH_MATCHES, organisation_choices, organisation_matches
from cocommission.partnerships.models import Partnership

from ..models import Agreement, BreakClause, BudgetLine, Instalment
from ..permissions import PUBLIC_STATUSES, agreements_visible_to

# The policy minimum for recurring services when the agreement belongs to no partnership.
DEFAULT_MINIMUM_TERM_YEARS = 3
SIGNABLE = (Agreement.Status.OFFERED, Agreement.Status.SIGNED_BY_FUNDER, Agreement.Status.SIGNED_BY_PROVIDER)


# ---- The length of a term -----------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # 31 January plus one month is the last day of February.
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has at least 28 days


def term_months(start: datetime.date, end: datetime.date) -> int:
    """Calendar months from `start` to `end` inclusive, a part month counting as a whole one:
    1 April 2026 to 31 March 2029 is 36 months, and so is 1 April 2026 to 20 March 2029."""
    after = end + datetime.timedelta(days=1)
    months = (after.year - start.year) * 12 + (after.month - start.month)
    if after.day < start.day:
        months -= 1
    if _add_months(start, months) < after:
        months += 1
    return max(months, 0)


def term_years_for(start: datetime.date, end: datetime.date) -> int:
    """The agreement years a term spans (its budget has a year for each): months ÷ 12, rounded up."""
    return max(1, math.ceil(term_months(start, end) / 12))


def minimum_term_years(partnership: Partnership | None) -> int:
    return partnership.minimum_term_years if partnership is not None else DEFAULT_MINIMUM_TERM_YEARS


def short_term_message(minimum_years: int) -> str:
    return f"Enter why this agreement is shorter than the {minimum_years}-year minimum for recurring services"


def is_short_term(
    *, recurring: bool, start: datetime.date | None, end: datetime.date | None, term_years: int, minimum_years: int
) -> bool:
    """A recurring service agreed for less than the policy minimum. Months are compared, so a
    term of 2 years and 6 months is short-term against a 3-year minimum."""
    if not recurring:
        return False
    months = term_months(start, end) if start and end else term_years * 12
    return months < minimum_years * 12


@dataclass(frozen=True)
class TermSummary:
    months: int | None
    minimum_years: int
    short_term: bool

    @property
    def label(self) -> str:
        if self.months is None:
            return ""
        years, months = divmod(self.months, 12)
        parts = []
        if years:
            parts.append(f"{years} year{'s' if years != 1 else ''}")
        if months:
            parts.append(f"{months} month{'s' if months != 1 else ''}")
        return " and ".join(parts) or "Less than a month"


def term_summary(agreement: Agreement) -> TermSummary:
    """The agreement's term and whether it is short-term (the partnership must already be loaded,
    as the access helpers do, or this costs a query)."""
    minimum = minimum_term_years(agreement.partnership if agreement.partnership_id else None)
    start, end = agreement.start_date, agreement.end_date
    return TermSummary(
        months=term_months(start, end) if start and end else None,
        minimum_years=minimum,
        short_term=is_short_term(
            recurring=agreement.recurring,
            start=start,
            end=end,
            term_years=agreement.term_years,
            minimum_years=minimum,
        ),
    )


# ---- Lists and choices --------------------------------------------------------------------------


def agreements_for(user: User, *, status: str = "") -> QuerySet[Agreement]:
    """The person's agreements, newest first, shaped for the list (no query per row)."""
    agreements = agreements_visible_to(user)
    if status:
        agreements = agreements.filter(status=status)
    return agreements.select_related("funder", "provider", "consortium").order_by("-created_at", "-id")


def funders_for(user: User) -> QuerySet[Organisation]:
    """Statutory organisations the person belongs to: the funders they may create agreements for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, kind=Organisation.Kind.STATUTORY).order_by("name")


def provider_matches(search: str) -> list[int]:
    """The ids of up to 20 organisations in the directory whose name contains `search`."""
    return organisation_matches(search)


def provider_choices(search: str) -> QuerySet[Organisation]:
    """The search results as a queryset a form can check a choice against."""
    return organisation_choices(search)


# A consortium exists because its members applied together. Once the application is submitted
# nobody can invite, leave or change the shares, so the members and the budget split an
# agreement relies on stay as the commissioner chose them, as for an award.
NOT_SUBMITTED = (
    "{name} has not submitted its application yet, so its members and their shares can still change. "
    "Choose it once the application is submitted"
)


def consortium_matches(search: str) -> list[int]:
    """The ids of up to 20 consortia whose name contains `search` and whose application has been
    submitted, by name."""
    search = search.strip()
    if not search:
        return []
    matches = Consortium.objects.filter(name__icontains=search, application__status=Application.Status.SUBMITTED)
    return list(matches.order_by("name", "pk").values_list("pk", flat=True)[:SEARCH_MATCHES])


def _application_of(consortium: Consortium) -> Application | None:
    try:
        return consortium.application
    except ObjectDoesNotExist:
        return None


def consortium_refusal(consortium: Consortium) -> list[str]:
    """Why the consortium cannot be party to an agreement now; empty when it can. The rules are
    those its application had to meet to be submitted, and so to be awarded: every member
    confirmed, shares adding up to 100%, a lead only where one is allowed."""
    application = _application_of(consortium)
    if application is None or application.status != Application.Status.SUBMITTED:
        return [NOT_SUBMITTED.format(name=consortium.name)]
    return consortium_problems(application)


def consortium_provider_id(consortium: Consortium) -> int | None:
    """The organisation that is the provider for the consortium, as on an award: its lead when it
    has one, otherwise the member that started its application."""
    application = _application_of(consortium)
    return consortium.lead_id or (application.organisation_id if application is not None else None)


@dataclass(frozen=True)
class ConsortiumOption:
    consortium: Consortium
    label: str
    problems: list[str]


@dataclass(frozen=True)
class ConsortiumSearch:
    """The consortia a search found: `choices` is every match, for a form to check a choice
    against (one that is not ready is refused with the reason); `ready` can be chosen."""

    choices: QuerySet[Consortium]
    ready: list[ConsortiumOption]
    not_ready: list[ConsortiumOption]

    @property
    def count(self) -> int:
        return len(self.ready) + len(self.not_ready)


def _consortium_label(consortium: Consortium, members: list[ConsortiumMember]) -> str:
    names = [m.organisation.name for m in members if m.organisation_id != consortium.lead_id]
    if consortium.lead is not None:
        return f"{consortium.name}: led by {consortium.lead.name}, with {', '.join(names) or 'no other members'}"
    return f"{consortium.name}: {', '.join(names)} (no lead)"


def consortium_search(search: str) -> ConsortiumSearch:
    """Up to 20 consortia whose name matches, each with its members and whether it can be chosen.
    Checking each costs a few queries, so the number of matches is capped as for organisations."""
    current = (
        ConsortiumMember.objects.exclude(status=ConsortiumMember.Status.DECLINED)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    choices = (
        Consortium.objects.filter(pk__in=consortium_matches(search))
        .select_related("lead", "application__opportunity")
        .order_by("name", "pk")
    )
    ready: list[ConsortiumOption] = []
    not_ready: list[ConsortiumOption] = []
    for consortium in choices.prefetch_related(Prefetch("members", queryset=current, to_attr="current_members")):
        option = ConsortiumOption(
            consortium=consortium,
            label=_consortium_label(consortium, consortium.current_members),
            problems=consortium_refusal(consortium),
        )
        (not_ready if option.problems else ready).append(option)
    return ConsortiumSearch(choices=choices, ready=ready, not_ready=not_ready)


def partnerships_for_funders(user: User) -> QuerySet[Partnership]:
    """Partnerships where one of the person's statutory organisations has a seat."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    return (
        Partnership.objects.filter(
            member_organisations__organisation__memberships__user=user,
            member_organisations__organisation__kind=Organisation.Kind.STATUTORY,
        )
        .distinct()
        .order_by("name")
    )


def agreed_outcomes(agreement: Agreement) -> QuerySet[OpportunityOutcome]:
    """The outcomes an agreement may name: those agreed for its opportunity."""
    if agreement.opportunity_id is None:
        return OpportunityOutcome.objects.none()
    return OpportunityOutcome.objects.filter(
        opportunity_id=agreement.opportunity_id, status=OpportunityOutcome.Status.AGREED
    ).order_by("created_at", "id")


# ---- The agreement page and the public page -----------------------------------------------------


def consortium_members(agreement: Agreement) -> list[ConsortiumMember]:
    if agreement.consortium_id is None:
        return []
    return list(
        ConsortiumMember.objects.filter(consortium_id=agreement.consortium_id)
        .exclude(status=ConsortiumMember.Status.DECLINED)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def offer_problems(agreement: Agreement) -> list[str]:
    """What stops the funder offering the agreement for signature, in plain English."""
    problems = []
    if agreement.start_date is None or agreement.end_date is None:
        problems.append("Set the start and end dates in the terms")
    if agreement.agreement_type == Agreement.Type.UNDECIDED:
        problems.append("Answer the grant-or-contract questions, so both parties know whether VAT applies")
    if not Instalment.objects.filter(agreement=agreement).exists():
        problems.append("The payment schedule has no instalments yet: check the dates, value and payment frequency")
    return problems


def terms_context(agreement: Agreement) -> dict[str, Any]:
    """The template context the terms section of the agreement page needs. What a person may do
    also depends on their side (`is_funder`, `is_provider` from the page)."""
    status = agreement.status
    return {
        "terms_length": term_summary(agreement),
        "terms_break_clauses": list(BreakClause.objects.filter(agreement=agreement)),
        "terms_consortium_members": consortium_members(agreement),
        "terms_outcomes": list(agreement.outcomes.order_by("created_at", "id")),
        "terms_is_public": status in PUBLIC_STATUSES,
        "terms_editable": agreement.is_open_for_editing,
        "terms_can_offer": status == Agreement.Status.DRAFT,
        "terms_funder_to_sign": status in SIGNABLE and agreement.funder_signed_at is None,
        "terms_provider_to_sign": status in SIGNABLE and agreement.provider_signed_at is None,
        "terms_can_close": status == Agreement.Status.ACTIVE,
        "terms_funder_signed_by": agreement.funder_signed_by if agreement.funder_signed_by_id else None,
        "terms_provider_signed_by": agreement.provider_signed_by if agreement.provider_signed_by_id else None,
    }


def public_context(agreement: Agreement) -> dict[str, Any]:
    """Only the fields that are published as open data: nothing about the budget, VAT reasoning,
    schedule or who signed."""
    return {
        "agreement": agreement,
        "members": [m.organisation for m in consortium_members(agreement)],
        "term": term_summary(agreement),
    }


# ---- What a party signs -------------------------------------------------------------------------


def signing_version(agreement: Agreement) -> str:
    """A stamp of everything a party signs: the terms, break clauses, budget and outcomes. The
    signing page carries it, so a changed agreement is never signed unseen. (The other party
    signing does not change it, unlike the row's last-updated time.)"""
    fields = [
        "reference",
        "title",
        "scope",
        "funder_id",
        "provider_id",
        "consortium_id",
        "value",
        "start_date",
        "end_date",
        "term_years",
        "recurring",
        "short_term_reason",
        "agreement_type",
        "vat_rate",
        "overhead_cap",
        "index_kind",
        "index_fixed_rate",
        "index_base_month",
        "index_anniversary",
        "index_floor",
        "index_cap",
        "payment_frequency",
    ]
    terms: dict[str, Any] = {name: getattr(agreement, name) for name in fields}
    terms["break_clauses"] = list(
        BreakClause.objects.filter(agreement=agreement)
        .order_by("pk")
        .values_list("earliest_date", "notice_months", "party", "conditions")
    )
    terms["budget"] = list(
        BudgetLine.objects.filter(agreement=agreement)
        .order_by("pk")
        .values_list("year", "category", "description", "amount")
    )
    terms["outcomes"] = sorted(agreement.outcomes.values_list("pk", flat=True))
    text = json.dumps(terms, default=_stamp_text, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _stamp_text(value: Any) -> str:
    # £90,000 is £90,000.00: the same amount must give the same stamp however it was written.
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
