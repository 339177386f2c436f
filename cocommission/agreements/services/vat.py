"""Writes for the grant-or-contract (VAT) test, and the VAT a change of type would cost.

The test follows the usual reading of VAT law for public funding: a payment is for a supply
(a contract, where VAT may apply) when it is consideration for something the funder receives
and directly linked to the service, or when its conditions make it a purchase that benefits
the funder itself. Otherwise it is a grant, outside the scope of VAT. The answers, the result
and the reasoning are kept on the agreement and shown to both parties, so nobody can quietly
change their mind later: after signature only a variation both parties approve can.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.money import to_pence
from cocommission.core.versioning import ensure_unchanged

from ..models import Agreement, Instalment
from .budget import party_scopes
from .guards import ensure_open_for_editing, lock
from .timeline import record_agreement_event

YES, NO = Agreement.Answer.YES, Agreement.Answer.NO
FUNDER, PUBLIC = Agreement.Beneficiary.FUNDER, Agreement.Beneficiary.PUBLIC
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class VatAnswers:
    consideration: bool
    direct_link: bool
    funder_benefits: bool
    purchase_conditions: bool


def decide_type(answers: VatAnswers) -> str:
    """Contract when (consideration AND a direct link) OR (purchase conditions AND the funder
    itself benefits); otherwise grant."""
    supply = answers.consideration and answers.direct_link
    purchase = answers.purchase_conditions and answers.funder_benefits
    return Agreement.Type.CONTRACT if supply or purchase else Agreement.Type.GRANT


def format_rate(rate: Decimal) -> str:
    """20.00 -> "20%", 17.50 -> "17.5%"."""
    text = f"{rate.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return f"{text}%"


def vat_reasoning(answers: VatAnswers, rate: Decimal | None) -> str:
    """One sentence per answer saying what it means, then the conclusion."""
    sentences = [
        "The payment is consideration for a supply to the funder: the funder pays in return for something it receives."
        if answers.consideration
        else "The payment is not consideration for a supply: the funder does not receive anything in return for it.",
        "There is a direct link between the payment and the service: the payment depends on the service being "
        "delivered as the funder specifies."
        if answers.direct_link
        else "There is no direct link between the payment and the service: the money supports the provider's work "
        "rather than buying a set amount of it.",
        "The funder itself gets the benefit of the service."
        if answers.funder_benefits
        else "The public, or the people the service is for, get the benefit, not the funder itself.",
        "There are conditions that make it a purchase, such as the funder owning what is produced or fixing the "
        "price of a defined service."
        if answers.purchase_conditions
        else "There are no conditions that make it a purchase: the conditions only make sure the money is spent on "
        "what it was given for.",
    ]
    if decide_type(answers) == Agreement.Type.GRANT:
        sentences.append(
            "So this agreement is a grant: it is outside the scope of VAT, and no VAT is added to the payments."
        )
    else:
        why = (
            "the funder pays for a supply it receives"
            if answers.consideration and answers.direct_link
            else "its conditions make it a purchase that benefits the funder"
        )
        stated = f" The funder states a VAT rate of {format_rate(rate)}." if rate is not None else ""
        sentences.append(f"So this agreement is a contract, because {why}: VAT may apply.{stated}")
    return " ".join(sentences)


def _answer_problems(
    consideration: str, direct_link: str, beneficiary: str, purchase_conditions: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if consideration not in (YES, NO):
        errors["consideration"] = "Select whether the payment is consideration for a supply to the funder"
    if direct_link not in (YES, NO):
        errors["direct_link"] = "Select whether there is a direct link between the payment and the service"
    if beneficiary not in (FUNDER, PUBLIC):
        errors["beneficiary"] = "Select who gets the benefit of the service"
    if purchase_conditions not in (YES, NO):
        errors["purchase_conditions"] = "Select whether there are conditions that make it a purchase"
    return errors


@transaction.atomic
def record_vat_test(
    *,
    actor: User,
    agreement: Agreement,
    consideration: str,
    direct_link: str,
    beneficiary: str,
    purchase_conditions: str,
    vat_rate: Decimal | None,
    version: str | None = None,
) -> Agreement:
    """Record the funder's answers to the grant-or-contract test, the result, the VAT rate (for
    a contract) and the reasoning. Only while the agreement is open for editing."""
    locked = lock(agreement)
    ensure_open_for_editing(locked)
    ensure_unchanged(locked, version)
    errors = _answer_problems(consideration, direct_link, beneficiary, purchase_conditions)
    if vat_rate is not None and not Decimal(0) <= vat_rate <= HUNDRED:
        errors["vat_rate"] = "The VAT rate must be between 0% and 100%"
    elif vat_rate is not None and vat_rate != vat_rate.quantize(Decimal("0.01")):
        errors["vat_rate"] = "Enter the VAT rate with at most 2 decimal places, like 17.5"
    if errors:
        raise ValidationError(errors)
    answers = VatAnswers(
        consideration=consideration == YES,
        direct_link=direct_link == YES,
        funder_benefits=beneficiary == FUNDER,
        purchase_conditions=purchase_conditions == YES,
    )
    result = decide_type(answers)
    if result == Agreement.Type.CONTRACT and vat_rate is None:
        raise ValidationError(
            {"vat_rate": "Your answers make this a contract. Enter the VAT rate that applies, from 0 to 100, like 20"}
        )
    rate = vat_rate if result == Agreement.Type.CONTRACT else None
    before = audit.snapshot(
        locked,
        [
            "agreement_type",
            "vat_consideration",
            "vat_direct_link",
            "vat_beneficiary",
            "vat_purchase_conditions",
            "vat_rate",
            "vat_reasoning",
        ],
    )
    type_before = locked.agreement_type
    locked.agreement_type = result
    locked.vat_consideration, locked.vat_direct_link = consideration, direct_link
    locked.vat_beneficiary, locked.vat_purchase_conditions = beneficiary, purchase_conditions
    locked.vat_rate = rate
    locked.vat_reasoning = vat_reasoning(answers, rate)
    locked.vat_tested_at, locked.vat_tested_by = timezone.now(), actor
    locked.save()
    for scope in party_scopes(locked):
        audit.record_update(actor=actor, instance=locked, before=before, **scope)
    if result != type_before:
        label = Agreement.Type(result).label
        record_agreement_event(
            actor=actor, agreement=locked, summary=f"Grant-or-contract test recorded. Result: {label}"
        )
    return locked


def vat_on(amount: Decimal, *, agreement_type: str, rate: Decimal | None) -> Decimal:
    """The VAT on `amount` for an agreement of this type and rate, to the penny: none for a
    grant or an undecided type, `rate`% for a contract (none when no rate is stated)."""
    if agreement_type != Agreement.Type.CONTRACT or rate is None:
        return Decimal("0.00")
    return to_pence(amount * rate / HUNDRED)


def unpaid_total(agreement: Agreement) -> Decimal:
    """What is still to be paid: every instalment (adjustments too) without a payment date."""
    total = Instalment.objects.filter(agreement=agreement, paid_on__isnull=True).aggregate(total=Sum("amount"))["total"]
    return to_pence(total or Decimal(0))


def vat_change(
    remaining: Decimal, *, from_type: str, from_rate: Decimal | None, to_type: str, to_rate: Decimal | None
) -> Decimal:
    """The VAT on `remaining` after the change minus the VAT before it, each to the penny."""
    return vat_on(remaining, agreement_type=to_type, rate=to_rate) - vat_on(
        remaining, agreement_type=from_type, rate=from_rate
    )


def vat_effect(agreement: Agreement, *, new_type: str, new_rate: Decimal | None) -> Decimal:
    """The change in VAT, in pounds, over what is still to be paid if the agreement's type (and
    VAT rate) became `new_type` / `new_rate`: positive when more VAT would be due."""
    return vat_change(
        unpaid_total(agreement),
        from_type=agreement.agreement_type,
        from_rate=agreement.vat_rate,
        to_type=new_type,
        to_rate=new_rate,
    )
