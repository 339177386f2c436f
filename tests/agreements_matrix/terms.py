"""Permission-matrix cases for the agreement pages of the terms part.

Pages that change an agreement send the funder back to it (a "redirect") when its state does
not allow the change: a signed agreement's terms, offering one already offered, signing twice.
"""

from typing import Any

from cocommission.agreements.tests.factories import AgreementFactory

from .common import ALL_200, FUNDER_ONLY, NOT_FOUND, PARTIES, SIGNED_IN_200, AgreementWorld, Case, active, draft, o

A = "agreements:"

COMMISSIONERS = o("login", 403, 403, 403, 403, 403, 403, 200)
FUNDER_SENT_BACK = o("login", 403, 403, 404, 404, 404, 404, "redirect")
PARTIES_SENT_BACK = o("login", "redirect", "redirect", 404, 404, 404, 404, "redirect")


def clause(w: AgreementWorld) -> dict[str, Any]:
    return {"pk": w.draft.pk, "clause": w.break_clause.pk}


def offered(w: AgreementWorld) -> dict[str, Any]:
    """An agreement offered for signature, that neither side has signed yet."""
    agreement = AgreementFactory.create(offered=True, funder=w.icb, provider=w.org_a, agreement_type="grant")
    return {"pk": agreement.pk}


def public_active(w: AgreementWorld) -> dict[str, Any]:
    return {"reference": w.active.reference}


def public_draft(w: AgreementWorld) -> dict[str, Any]:
    return {"reference": w.draft.reference}


MATRIX: dict[str, list[Case]] = {
    A + "list": [Case("mine", lambda w: {}, SIGNED_IN_200)],
    A + "detail": [Case("draft", draft, PARTIES), Case("active", active, PARTIES)],
    A + "print": [Case("active", active, PARTIES)],
    A + "create": [Case("commissioners", lambda w: {}, COMMISSIONERS)],
    A + "edit": [Case("draft", draft, FUNDER_ONLY), Case("signed", active, FUNDER_SENT_BACK)],
    A + "break_add": [Case("draft", draft, FUNDER_ONLY), Case("signed", active, FUNDER_SENT_BACK)],
    A + "break_edit": [Case("draft", clause, FUNDER_ONLY)],
    A + "break_remove": [Case("draft", clause, FUNDER_ONLY)],
    A + "offer": [Case("draft", draft, FUNDER_ONLY), Case("signed", active, FUNDER_SENT_BACK)],
    A + "sign": [
        Case("offered", offered, PARTIES),
        Case("draft", draft, PARTIES_SENT_BACK),
        Case("signed", active, PARTIES_SENT_BACK),
    ],
    A + "close": [Case("active", active, FUNDER_ONLY), Case("draft", draft, FUNDER_SENT_BACK)],
    A + "public": [Case("active", public_active, ALL_200), Case("draft", public_draft, NOT_FOUND)],
}
