"""Permission-matrix cases for the agreement pages of the money part: grant or contract, the
budget builder and organisations' overhead rates.

Once an agreement is signed (`active`), its editing pages send the people who may edit back to
the agreement with the reason ("redirect"); the wrong side is still refused first (403)."""

from typing import Any

from cocommission.agreements.tests.factories import OverheadRateFactory

from .common import FUNDER_ONLY, PARTIES, AgreementWorld, Case, active, draft, o

A = "agreements:"

SIGNED_FUNDER_SENT_BACK = o("login", 403, 403, 404, 404, 404, 404, "redirect")
SIGNED_PARTIES_SENT_BACK = o("login", "redirect", "redirect", 404, 404, 404, 404, "redirect")
# Organisation A's overhead rates: its members read them, its admin (alice) keeps them; the
# funder's commissioner is no member of A, so for sid they do not exist either.
ORG_A_MEMBERS = o("login", 200, 200, 404, 404, 404, 404, 404)
ORG_A_ADMINS = o("login", 200, 403, 404, 404, 404, 404, 404)


def draft_line(w: AgreementWorld) -> dict[str, Any]:
    return {"pk": w.draft.pk, "line_pk": w.budget_line.pk}


def org_a(w: AgreementWorld) -> dict[str, Any]:
    return {"slug": w.org_a.slug}


def org_a_year(w: AgreementWorld) -> dict[str, Any]:
    # The shared world has no overhead rate; this case records one for organisation A.
    rate = OverheadRateFactory.create(organisation=w.org_a, financial_year=2025)
    return {"slug": w.org_a.slug, "year": rate.financial_year}


MATRIX: dict[str, list[Case]] = {
    A + "vat": [Case("draft", draft, FUNDER_ONLY), Case("active", active, SIGNED_FUNDER_SENT_BACK)],
    A + "budget": [Case("draft", draft, PARTIES), Case("active", active, PARTIES)],
    A + "budget_line_add": [Case("draft", draft, PARTIES), Case("active", active, SIGNED_PARTIES_SENT_BACK)],
    A + "budget_line_edit": [Case("draft", draft_line, PARTIES)],
    A + "budget_line_remove": [Case("draft", draft_line, PARTIES)],
    A + "overhead_cap": [Case("draft", draft, FUNDER_ONLY), Case("active", active, SIGNED_FUNDER_SENT_BACK)],
    A + "overheads": [Case("organisation A", org_a, ORG_A_MEMBERS)],
    A + "overhead_add": [Case("organisation A", org_a, ORG_A_ADMINS)],
    A + "overhead_edit": [Case("organisation A", org_a_year, ORG_A_ADMINS)],
}
