"""Reads for the agreement page's changes section (variations and the renewal decision) and
for the list of agreements that end soon.

A variation's effect is kept as two small dictionaries, `before` and `after`, with the same
keys (see services/variations.py). `change_rows` turns a pair into the lines people read, so
the history, the approval page and the timeline all describe a change the same way.
"""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core.templatetags.money import format_gbp
from cocommission.partnerships.models import PartnershipPerson

from ..models import Agreement, BudgetLine, EndingNotice, RenewalDecision, Variation
from ..permissions import FUNDER, PROVIDER, agreements_visible_to

SIDE_NAMES = {FUNDER: "the funder", PROVIDER: "the provider"}
ENDING_HORIZON_MONTHS = 12


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class VariationRow:
    variation: Variation
    changes: list[ChangeRow]
    proposer: str  # "funder" or "provider" (or "" when neither side has approved)
    awaiting: str  # the side whose approval is missing while it waits, else ""
    vat_text: str = ""  # for a change of grant or contract, its VAT effect in pounds


@dataclass(frozen=True)
class EndingRow:
    agreement: Agreement
    is_party: bool
    decision: str  # the latest renewal decision's label, or ""
    decided_on: datetime.datetime | None
    last_warning_months: int | None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier when negative); the 31st becomes the month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last_day))


def term_years_between(start: datetime.date, end: datetime.date) -> int:
    """Whole years the agreement runs, counting a part year as a year: 1 April 2026 to
    31 March 2029 is 3; to 30 June 2029 is 4."""
    after_end = end + datetime.timedelta(days=1)
    months = (after_end.year - start.year) * 12 + after_end.month - start.month
    if after_end.day > start.day:
        months += 1
    return max(1, -(-months // 12))


def _date_text(value: Any) -> str:
    if not value:
        return "Not set"
    day = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"


def _money_text(value: Any) -> str:
    return format_gbp(value) if value not in (None, "") else "None"


def _type_text(value: Any) -> str:
    return str(dict(Agreement.Type.choices).get(value, value or "Not decided yet"))


def _rate_text(value: Any) -> str:
    return f"{value}%" if value not in (None, "") else "No VAT rate"


def _line_text(line: Any) -> str:
    return _money_text(line["amount"]) if line else "No line"


def _line_label(line: dict[str, Any]) -> str:
    category = dict(BudgetLine.Category.choices).get(line["category"], line["category"])
    return f"Budget, year {line['year']}, {str(category).lower()}: {line['description']}"


def change_rows(before: dict[str, Any], after: dict[str, Any]) -> list[ChangeRow]:
    """The lines of a change as people read them, from the before/after dictionaries."""
    rows: list[ChangeRow] = []
    if "value" in after:
        rows.append(ChangeRow("Value", _money_text(before.get("value")), _money_text(after["value"])))
    if "end_date" in after:
        rows.append(ChangeRow("End date", _date_text(before.get("end_date")), _date_text(after["end_date"])))
    if "term_years" in after and before.get("term_years") != after["term_years"]:
        rows.append(ChangeRow("Term", f"{before.get('term_years')} years", f"{after['term_years']} years"))
    if "scope" in after:
        rows.append(ChangeRow("Scope", before.get("scope") or "None", after["scope"]))
    if "agreement_type" in after:
        rows.append(
            ChangeRow(
                "Grant or contract", _type_text(before.get("agreement_type")), _type_text(after["agreement_type"])
            )
        )
        rows.append(ChangeRow("VAT rate", _rate_text(before.get("vat_rate")), _rate_text(after.get("vat_rate"))))
    if "budget_line" in after:
        line = after["budget_line"] or before.get("budget_line")
        if line:
            after_text = _line_text(after["budget_line"]) if after["budget_line"] else "Removed"
            rows.append(ChangeRow(_line_label(line), _line_text(before.get("budget_line")), after_text))
    return rows


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def change_summary(before: dict[str, Any], after: dict[str, Any]) -> str:
    """One sentence for the timeline: "Value from £90,000.00 to £99,000.00". Long texts (a
    scope) are shortened: the timeline keeps summaries, the variation keeps the whole text."""
    return "; ".join(
        f"{row.label} from {_short(row.before)} to {_short(row.after)}" for row in change_rows(before, after)
    )


def matching_line(lines: Iterable[BudgetLine], variation: Variation) -> BudgetLine | None:
    """The budget line a budget variation changes: same year, category and description."""
    wanted = (variation.budget_year, variation.budget_category, variation.budget_description.strip().casefold())
    for line in lines:
        if (line.year, line.category, line.description.strip().casefold()) == wanted:
            return line
    return None


def line_state(line: BudgetLine | None) -> dict[str, Any] | None:
    if line is None:
        return None
    return {"year": line.year, "category": line.category, "description": line.description, "amount": str(line.amount)}


def current_state(agreement: Agreement, variation: Variation, lines: Iterable[BudgetLine] = ()) -> dict[str, Any]:
    """What the agreement has now, in the keys a variation of this kind changes."""
    kind = variation.kind
    if kind == Variation.Kind.VALUE:
        return {"value": str(agreement.value)}
    if kind == Variation.Kind.END_DATE:
        end = agreement.end_date.isoformat() if agreement.end_date else None
        return {"end_date": end, "term_years": agreement.term_years}
    if kind == Variation.Kind.SCOPE:
        return {"scope": agreement.scope}
    if kind == Variation.Kind.TYPE:
        rate = str(agreement.vat_rate) if agreement.vat_rate is not None else None
        return {"agreement_type": agreement.agreement_type, "vat_rate": rate}
    return {"budget_line": line_state(matching_line(lines, variation))}


def proposed_state(variation: Variation, *, term_years: int | None = None) -> dict[str, Any]:
    """What the variation would set, in the same keys as `current_state`."""
    kind = variation.kind
    if kind == Variation.Kind.VALUE:
        return {"value": str(variation.new_value)}
    if kind == Variation.Kind.END_DATE:
        end = variation.new_end_date.isoformat() if variation.new_end_date else None
        return {"end_date": end, "term_years": term_years}
    if kind == Variation.Kind.SCOPE:
        return {"scope": variation.new_scope}
    if kind == Variation.Kind.TYPE:
        rate = str(variation.new_vat_rate) if variation.new_vat_rate is not None else None
        return {"agreement_type": variation.new_type, "vat_rate": rate}
    if not variation.budget_amount:
        return {"budget_line": None}
    return {
        "budget_line": {
            "year": variation.budget_year,
            "category": variation.budget_category,
            "description": variation.budget_description.strip(),
            "amount": str(variation.budget_amount),
        }
    }


def proposer_side(variation: Variation) -> str:
    """The side that proposed a waiting variation: the one that has approved it."""
    if variation.funder_approved_at and not variation.provider_approved_at:
        return FUNDER
    if variation.provider_approved_at and not variation.funder_approved_at:
        return PROVIDER
    return ""


def variation_row(agreement: Agreement, variation: Variation, lines: Iterable[BudgetLine] = ()) -> VariationRow:
    """A variation with its change described: the recorded before/after once applied, and the
    agreement as it is now against the proposal while it waits."""
    if variation.status == Variation.Status.APPLIED:
        before, after = variation.before, variation.after
    else:
        years = None
        if variation.kind == Variation.Kind.END_DATE and agreement.start_date and variation.new_end_date:
            years = term_years_between(agreement.start_date, variation.new_end_date)
        before, after = current_state(agreement, variation, lines), proposed_state(variation, term_years=years)
    proposer = proposer_side(variation)
    waiting = variation.status == Variation.Status.PROPOSED
    awaiting = {FUNDER: PROVIDER, PROVIDER: FUNDER}.get(proposer, "") if waiting else ""
    return VariationRow(
        variation, change_rows(before, after), proposer, awaiting, vat_effect_text(variation.vat_effect)
    )


def changes_context(agreement: Agreement) -> dict[str, Any]:
    """The template context the changes section of the agreement page needs: every variation
    with what it changes, the renewal decisions (latest first) and the warnings sent.
    A fixed number of queries whatever the number of variations."""
    variations = list(
        Variation.objects.filter(agreement=agreement)
        .select_related("proposed_by", "funder_approved_by", "provider_approved_by", "closed_by")
        .order_by("-number")
    )
    lines = list(BudgetLine.objects.filter(agreement=agreement)) if variations else []
    rows = [variation_row(agreement, v, lines) for v in variations]
    decisions = list(
        RenewalDecision.objects.filter(agreement=agreement).select_related("decided_by").order_by("-created_at", "-id")
    )
    notices = list(EndingNotice.objects.filter(agreement=agreement).order_by("-sent_on", "-id"))
    today = timezone.localdate()
    running = agreement.status not in (Agreement.Status.ENDED, Agreement.Status.TERMINATED)
    return {
        "variation_rows": rows,
        "pending_variation_rows": [r for r in rows if r.variation.status == Variation.Status.PROPOSED],
        "can_vary": agreement.is_signed and running,
        "renewal_decision": decisions[0] if decisions else None,
        "renewal_history": decisions[1:],
        "can_decide_renewal": agreement.status == Agreement.Status.ACTIVE,
        "ending_notices": notices,
        "days_to_end": (agreement.end_date - today).days if agreement.end_date else None,
        "today": today,
    }


def ending_agreements_for(user: User, *, today: datetime.date) -> QuerySet[Agreement]:
    """Active agreements ending within the next 12 months that the person is a party to, and
    for a partnership coordinator those of the partnership, soonest first, with the latest
    renewal decision and the latest warning for the current end date, in one query."""
    visible = agreements_visible_to(user)
    coordinated = PartnershipPerson.objects.filter(user_id=user.pk, role=PartnershipPerson.Role.COORDINATOR).values(
        "partnership_id"
    )
    latest = RenewalDecision.objects.filter(agreement=OuterRef("pk")).order_by("-created_at", "-id")
    warnings = EndingNotice.objects.filter(agreement=OuterRef("pk"), end_date=OuterRef("end_date")).order_by(
        "months_before"
    )
    return (
        Agreement.objects.filter(
            status=Agreement.Status.ACTIVE,
            end_date__gte=today,
            end_date__lte=add_months(today, ENDING_HORIZON_MONTHS),
        )
        .filter(Q(pk__in=visible.values("pk")) | Q(partnership_id__in=coordinated))
        .annotate(
            is_party=Exists(visible.filter(pk=OuterRef("pk"))),
            decision_choice=Subquery(latest.values("choice")[:1]),
            decided_at=Subquery(latest.values("created_at")[:1]),
            last_warning_months=Subquery(warnings.values("months_before")[:1]),
        )
        .select_related("funder", "provider", "consortium")
        .order_by("end_date", "id")
    )


def ending_rows(agreements: Iterable[Agreement]) -> list[EndingRow]:
    """One page of `ending_agreements_for`, with the decision named as people read it."""
    labels = dict(RenewalDecision.Choice.choices)
    return [
        EndingRow(
            agreement=a,
            is_party=bool(getattr(a, "is_party", False)),
            decision=str(labels.get(getattr(a, "decision_choice", None) or "", "")),
            decided_on=getattr(a, "decided_at", None),
            last_warning_months=getattr(a, "last_warning_months", None),
        )
        for a in agreements
    ]


def describe_variation(agreement: Agreement, variation: Variation) -> VariationRow:
    """One variation with its change described, for its own page."""
    lines = BudgetLine.objects.filter(agreement=agreement) if variation.kind == Variation.Kind.BUDGET else []
    return variation_row(agreement, variation, lines)


def vat_effect_text(effect: Decimal | None) -> str:
    """The VAT effect of a change of grant or contract, in a sentence; "" when there is none."""
    if effect is None:
        return ""
    if effect > 0:
        return f"VAT on the payments still to be made would go up by {format_gbp(effect)}."
    if effect < 0:
        return f"VAT on the payments still to be made would go down by {format_gbp(-effect)}."
    return "VAT on the payments still to be made would not change."
