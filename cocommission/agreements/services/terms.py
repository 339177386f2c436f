"""Writes for an agreement's terms: creating one directly, changing its terms and break clauses,
offering it, each side signing it, and ending or terminating it.

Every write locks the agreement row first (guards.lock) and checks its state; terms change
freely until the first signature, and after that only through a variation.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.commissioning.models import Application, Consortium, ConsortiumMember, OpportunityOutcome
from cocommission.core import audit
from cocommission.core.versioning import StaleFormError, ensure_unchanged
from cocommission.organisations.models import Membership, Organisation
from cocommission.partnerships.models import Partnership, PartnershipOrganisation

from ..models import Agreement, BreakClause
from ..permissions import FUNDER, PROVIDER, sides_of
from ..selectors.budget import provider_overhead_rate
from ..selectors.terms import (
    agreed_outcomes,
    consortium_provider_id,
    consortium_refusal,
    is_short_term,
    minimum_term_years,
    offer_problems,
    short_term_message,
    signing_version,
    term_years_for,
)
from . import budget, guards
from .schedule import recompute_schedule
from .timeline import record_agreement_event

CLOSE_END = "end"
CLOSE_TERMINATE = "terminate"
SIGNED_BY_BOTH = "Agreement signed by both parties"
CHANGED_SINCE_OPENED = (
    "The agreement changed after you opened this page. Check what you are signing below, then sign again."
)
# Changing any of these changes the payments, so the schedule and the budget check run again.
MONEY_FIELDS = ("value", "start_date", "end_date", "payment_frequency")


@dataclass(frozen=True)
class Terms:
    title: str
    scope: str
    value: Decimal | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    recurring: bool
    short_term_reason: str
    payment_frequency: str


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_terms(terms: Terms, *, minimum_years: int) -> None:
    """Refuse terms that cannot stand, every problem at once, keyed by form field."""
    errors: dict[str, str] = {}
    if not terms.title.strip():
        errors["title"] = "Enter a title"
    if terms.value is None or not terms.value.is_finite():
        errors["value"] = "Enter the value"
    elif terms.value <= 0:
        errors["value"] = "The value must be more than £0"
    if terms.start_date is None:
        errors["start_date"] = "Enter the start date"
    if terms.end_date is None:
        errors["end_date"] = "Enter the end date"
    elif terms.start_date is not None and terms.end_date <= terms.start_date:
        errors["end_date"] = "The end date must be after the start date"
    if terms.payment_frequency not in Agreement.Frequency.values:
        errors["payment_frequency"] = "Choose how often the provider is paid"
    if terms.start_date and terms.end_date and terms.end_date > terms.start_date:
        short = is_short_term(
            recurring=terms.recurring,
            start=terms.start_date,
            end=terms.end_date,
            term_years=1,
            minimum_years=minimum_years,
        )
        if short and not terms.short_term_reason.strip():
            errors["short_term_reason"] = short_term_message(minimum_years)
    if errors:
        raise ValidationError(errors)


def _apply_terms(agreement: Agreement, terms: Terms) -> None:
    assert terms.start_date is not None and terms.end_date is not None and terms.value is not None
    agreement.title = terms.title.strip()
    agreement.scope = terms.scope.strip()
    agreement.value = terms.value
    agreement.start_date = terms.start_date
    agreement.end_date = terms.end_date
    agreement.term_years = term_years_for(terms.start_date, terms.end_date)
    agreement.recurring = terms.recurring
    agreement.short_term_reason = terms.short_term_reason.strip()
    agreement.payment_frequency = terms.payment_frequency


def _scopes(agreement: Agreement) -> list[dict[str, int | None]]:
    """Each party organisation keeps the agreement's history in its own audit log."""
    return [
        {"organisation_id": organisation_id, "partnership_id": agreement.partnership_id}
        for organisation_id in sorted({agreement.funder_id, agreement.provider_id})
    ]


def _record_update(
    actor: User, instance: Agreement | BreakClause, agreement: Agreement, before: dict[str, Any]
) -> None:
    for scope in _scopes(agreement):
        audit.record_update(actor=actor, instance=instance, before=before, **scope)


def reference_stem(funder: Organisation, year: int) -> str:
    """AGR-<the funder's initials>-<year>-: "NHS Brackenmoor Integrated Care Board" gives
    AGR-NHSBICB-2026-. Words in capitals (NHS, ICB) are kept whole; at most 8 characters."""
    words = re.findall(r"[A-Za-z0-9]+", funder.name)
    code = "".join(word if word.isupper() and len(word) > 1 else word[0].upper() for word in words)
    return f"AGR-{code[:8] or 'FUNDER'}-{year}-"


def _next_reference(stem: str) -> str:
    numbers = [
        int(ref[len(stem) :])
        for ref in Agreement.objects.filter(reference__startswith=stem).values_list("reference", flat=True)
        if ref[len(stem) :].isdigit()
    ]
    return f"{stem}{max(numbers, default=0) + 1}"


def _check_parties(
    *,
    actor: User,
    funder: Organisation,
    provider: Organisation,
    partnership: Partnership | None,
    provider_field: str = "provider",
) -> None:
    errors: dict[str, str] = {}
    is_member = Membership.objects.filter(user=actor, organisation=funder).exists()
    if funder.kind != Organisation.Kind.STATUTORY or not is_member:
        errors["funder"] = "Choose a statutory organisation you belong to as the funder"
    if provider.pk == funder.pk:
        errors[provider_field] = "The provider must be a different organisation from the funder"
    if partnership is not None:
        seated = set(
            PartnershipOrganisation.objects.filter(
                partnership=partnership, organisation_id__in=[funder.pk, provider.pk]
            ).values_list("organisation_id", flat=True)
        )
        if seated != {funder.pk, provider.pk}:
            errors["partnership"] = (
                f"Choose a partnership that both {funder.name} and {provider.name} belong to, or none"
            )
    if errors:
        raise ValidationError(errors)


def _consortium_provider(*, consortium: Consortium, funder: Organisation) -> tuple[Consortium, Organisation]:
    """The consortium as it is now and the organisation that is its provider, as an award would
    make it. Refused, with the reasons, when the consortium is not ready."""
    # The application is what its members lock to change the consortium: hold it while we read.
    Application.objects.select_for_update().filter(consortium_id=consortium.pk).first()
    current = Consortium.objects.select_related("lead").get(pk=consortium.pk)
    problems = consortium_refusal(current)
    if problems:
        raise ValidationError({"consortium": [f"{current.name} cannot be chosen yet. {p}" for p in problems]})
    if (
        ConsortiumMember.objects.filter(consortium=current, organisation=funder)
        .exclude(status=ConsortiumMember.Status.DECLINED)
        .exists()
    ):
        raise ValidationError({"consortium": f"{funder.name} is a member of {current.name}, so it cannot fund it"})
    provider_id = consortium_provider_id(current)
    assert provider_id is not None  # a submitted application always has the member that started it
    return current, Organisation.objects.get(pk=provider_id)


@transaction.atomic
def create_agreement(
    *,
    actor: User,
    funder: Organisation,
    terms: Terms,
    provider: Organisation | None = None,
    consortium: Consortium | None = None,
    partnership: Partnership | None = None,
) -> Agreement:
    """Create a draft agreement directly, for a service that already runs (no award behind it),
    with one `provider` or with a `consortium`.

    For a consortium the provider is chosen as an award chooses it (its lead, otherwise the
    member that started its application) and the consortium is linked, so every member is a
    party and the budget splits by their shares. The consortium must be ready, by the same rules
    its application met to be submitted. The reference is AGR-<funder>-<year>-<n>, unique; the
    payment schedule is worked out at once.
    """
    if consortium is not None:
        consortium, provider = _consortium_provider(consortium=consortium, funder=funder)
        provider_field = "consortium"
    elif provider is None:
        raise ValidationError({"provider": "Search for the provider by name, then choose it"})
    else:
        provider_field = "provider"
    _check_parties(
        actor=actor, funder=funder, provider=provider, partnership=partnership, provider_field=provider_field
    )
    _check_terms(terms, minimum_years=minimum_term_years(partnership))
    stem = reference_stem(funder, timezone.localdate().year)
    # Two commissioners creating at the same moment may pick the same number: the loser tries the next.
    for _attempt in range(5):
        agreement = Agreement(
            funder=funder, provider=provider, consortium=consortium, partnership=partnership, created_by=actor
        )
        _apply_terms(agreement, terms)
        agreement.reference = _next_reference(stem)
        try:
            with transaction.atomic():
                agreement.save()
            break
        except IntegrityError:
            continue
    else:
        raise ValidationError("Another agreement was created at the same moment. Try again.")
    for scope in _scopes(agreement):
        audit.record_create(actor=actor, instance=agreement, **scope)
    recompute_schedule(actor=actor, agreement=agreement)
    return agreement


def _check_outcomes(agreement: Agreement, outcomes: list[OpportunityOutcome]) -> None:
    allowed = set(agreed_outcomes(agreement).values_list("pk", flat=True))
    if any(o.pk not in allowed for o in outcomes):
        raise ValidationError({"outcomes": "Choose outcomes agreed for the opportunity, from the list"})


@transaction.atomic
def update_terms(
    *,
    actor: User,
    agreement: Agreement,
    terms: Terms,
    outcomes: list[OpportunityOutcome] | None = None,
    version: str | None = None,
) -> Agreement:
    """Change the terms of an agreement nobody has signed yet.

    When the money or dates change, the payment schedule is worked out again and the budget
    must still fit the value; otherwise nothing is saved. `outcomes` None leaves them as they are.
    """
    locked = guards.lock(agreement)
    guards.ensure_open_for_editing(locked)
    ensure_unchanged(locked, version or None)
    _check_terms(terms, minimum_years=minimum_term_years(locked.partnership))
    if outcomes is not None:
        _check_outcomes(locked, outcomes)
    before = audit.snapshot(locked)
    _apply_terms(locked, terms)
    locked.save()
    if outcomes is not None:
        locked.outcomes.set(outcomes)
    _record_update(actor, locked, locked, before)
    if any(before[name] != audit.snapshot(locked, [name])[name] for name in MONEY_FIELDS):
        recompute_schedule(actor=actor, agreement=locked)
        try:
            budget.check_budget_fits(locked)
        except ValidationError as exc:
            # Shown against the value, which is what the funder just changed.
            raise ValidationError({"value": exc.messages}) from exc
    return locked


# ---- Break clauses ------------------------------------------------------------------------------


def _check_break_clause(agreement: Agreement, *, earliest_date: datetime.date, notice_months: int, party: str) -> None:
    errors: dict[str, str] = {}
    start, end = agreement.start_date, agreement.end_date
    if start is None or end is None:
        errors["earliest_date"] = "Set the agreement's start and end dates before adding a break clause"
    elif not start <= earliest_date <= end:
        errors["earliest_date"] = (
            f"The earliest date must be within the agreement's term, between {_long_date(start)} and {_long_date(end)}"
        )
    if not 1 <= notice_months <= 24:
        errors["notice_months"] = "The notice period must be between 1 and 24 months"
    if party not in BreakClause.Party.values:
        errors["party"] = "Choose who may use the break clause"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_break_clause(
    *,
    actor: User,
    agreement: Agreement,
    earliest_date: datetime.date,
    notice_months: int,
    party: str,
    conditions: str = "",
) -> BreakClause:
    """Add a point at which a party may end the agreement early, with notice."""
    locked = guards.lock(agreement)
    guards.ensure_open_for_editing(locked)
    _check_break_clause(locked, earliest_date=earliest_date, notice_months=notice_months, party=party)
    clause = BreakClause.objects.create(
        agreement=locked,
        earliest_date=earliest_date,
        notice_months=notice_months,
        party=party,
        conditions=conditions.strip(),
    )
    for scope in _scopes(locked):
        audit.record_create(actor=actor, instance=clause, **scope)
    return clause


def _lock_clause(clause: BreakClause) -> tuple[Agreement, BreakClause]:
    locked = guards.lock(clause.agreement)
    guards.ensure_open_for_editing(locked)
    current = BreakClause.objects.select_for_update().filter(pk=clause.pk, agreement=locked).first()
    if current is None:
        raise ValidationError("This break clause has already been removed.")
    return locked, current


@transaction.atomic
def change_break_clause(
    *,
    actor: User,
    clause: BreakClause,
    earliest_date: datetime.date,
    notice_months: int,
    party: str,
    conditions: str = "",
    version: str | None = None,
) -> BreakClause:
    locked, current = _lock_clause(clause)
    ensure_unchanged(current, version or None)
    _check_break_clause(locked, earliest_date=earliest_date, notice_months=notice_months, party=party)
    before = audit.snapshot(current)
    current.earliest_date = earliest_date
    current.notice_months = notice_months
    current.party = party
    current.conditions = conditions.strip()
    current.save()
    _record_update(actor, current, locked, before)
    return current


@transaction.atomic
def remove_break_clause(*, actor: User, clause: BreakClause) -> None:
    locked, current = _lock_clause(clause)
    for scope in _scopes(locked):
        audit.record_delete(actor=actor, instance=current, **scope)
    current.delete()


# ---- Offering, signing and closing --------------------------------------------------------------


def _save_status(actor: User, agreement: Agreement, before: dict[str, Any], fields: list[str]) -> None:
    agreement.save(update_fields=[*fields, "updated_at"])
    _record_update(actor, agreement, agreement, before)


@transaction.atomic
def offer_agreement(*, actor: User, agreement: Agreement) -> Agreement:
    """The funder offers the agreement for both parties to sign. It needs its dates, the
    grant-or-contract result and a payment schedule; the problems are listed when it cannot."""
    locked = guards.lock(agreement)
    guards.ensure_open_for_editing(locked)
    if locked.status != Agreement.Status.DRAFT:
        raise ValidationError("This agreement has already been offered for signature.")
    problems = offer_problems(locked)
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(locked)
    locked.status = Agreement.Status.OFFERED
    locked.offered_at = timezone.now()
    _save_status(actor, locked, before, ["status", "offered_at"])
    record_agreement_event(actor=actor, agreement=locked, summary="Agreement offered for signature")
    return locked


def signature_refusal(agreement: Agreement, side: str) -> str | None:
    """Why `side` cannot sign the agreement now, or None when it can."""
    if agreement.status in (Agreement.Status.ENDED, Agreement.Status.TERMINATED):
        return guards.CLOSED_MESSAGE
    if agreement.status == Agreement.Status.DRAFT:
        return (
            "This agreement has not been offered yet, so it cannot be signed. "
            "The funder offers it when the terms are ready."
        )
    signed_at = agreement.funder_signed_at if side == FUNDER else agreement.provider_signed_at
    if signed_at is not None:
        who = "The funder" if side == FUNDER else "The provider"
        return f"{who} has already signed this agreement."
    return None


def _keep_overhead_rate(agreement: Agreement) -> list[str]:
    """Keep the provider's overhead figures the signed budget uses; the fields set."""
    rate = provider_overhead_rate(agreement)
    if rate is None:
        return []
    agreement.signed_overhead_year = rate.financial_year
    agreement.signed_overhead_core = rate.annual_core_costs
    agreement.signed_overhead_direct = rate.total_direct_costs
    return ["signed_overhead_year", "signed_overhead_core", "signed_overhead_direct"]


@transaction.atomic
def sign_agreement(*, actor: User, agreement: Agreement, side: str, version: str | None) -> Agreement:
    """One side signs the agreement as it was shown to them (`version` is the signing stamp).

    Offered → signed by the funder or by the provider → active once both have signed.
    """
    locked = guards.lock(agreement)
    if side not in (FUNDER, PROVIDER) or side not in sides_of(actor, locked):
        raise ValidationError("You can only sign for your own side of the agreement.")
    if (refusal := signature_refusal(locked, side)) is not None:
        raise ValidationError(refusal)
    if version != signing_version(locked):
        raise StaleFormError(CHANGED_SINCE_OPENED)
    before = audit.snapshot(locked)
    now = timezone.now()
    if side == FUNDER:
        locked.funder_signed_at, locked.funder_signed_by = now, actor
    else:
        locked.provider_signed_at, locked.provider_signed_by = now, actor
    fields = ["status", f"{side}_signed_at", f"{side}_signed_by"]
    if locked.is_signed:
        locked.status = Agreement.Status.ACTIVE
        fields += _keep_overhead_rate(locked)
    else:
        locked.status = Agreement.Status.SIGNED_BY_FUNDER if side == FUNDER else Agreement.Status.SIGNED_BY_PROVIDER
    _save_status(actor, locked, before, fields)
    if locked.is_signed:
        record_agreement_event(actor=actor, agreement=locked, summary=SIGNED_BY_BOTH)
    return locked


@transaction.atomic
def close_agreement(*, actor: User, agreement: Agreement, how: str, reason: str = "") -> Agreement:
    """The funder records that an active agreement has ended, or terminates it, with a reason
    when it stops before its end date."""
    locked = guards.lock(agreement)
    if locked.status in (Agreement.Status.ENDED, Agreement.Status.TERMINATED):
        raise ValidationError("This agreement has already ended.")
    if locked.status != Agreement.Status.ACTIVE:
        raise ValidationError("Only an agreement both parties have signed can be ended or terminated.")
    reason = reason.strip()
    if how not in (CLOSE_END, CLOSE_TERMINATE):
        raise ValidationError({"how": "Choose whether the agreement has ended or is being terminated"})
    early = locked.end_date is not None and timezone.localdate() < locked.end_date
    if how == CLOSE_TERMINATE and not reason:
        raise ValidationError({"reason": "Enter why the agreement is being terminated"})
    if how == CLOSE_END and early and not reason:
        assert locked.end_date is not None
        raise ValidationError(
            {"reason": f"Enter why the agreement is ending before its end date of {_long_date(locked.end_date)}"}
        )
    before = audit.snapshot(locked)
    locked.status = Agreement.Status.ENDED if how == CLOSE_END else Agreement.Status.TERMINATED
    locked.closed_reason = reason
    _save_status(actor, locked, before, ["status", "closed_reason"])
    if how == CLOSE_TERMINATE:
        summary = f"Agreement terminated: {reason}"
    else:
        summary = f"Agreement ended early: {reason}" if early else "Agreement ended"
    record_agreement_event(actor=actor, agreement=locked, summary=summary[:1900])
    return locked
