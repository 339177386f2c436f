"""Permission-matrix cases for the agreement pages of the changes part: variations, the renewal
decision and the list of agreements ending soon.

Variation pages are for either party (they show why a person on the wrong side cannot act,
rather than hiding the page from a party); the renewal decision is the funder's.
"""

from typing import Any

from .common import FUNDER_ONLY, PARTIES, SIGNED_IN_200, AgreementWorld, Case, active, draft, o

A = "agreements:"


def variation(w: AgreementWorld) -> dict[str, Any]:
    return {"pk": w.active.pk, "variation_pk": w.variation.pk}


def variation_of_another_agreement(w: AgreementWorld) -> dict[str, Any]:
    return {"pk": w.draft.pk, "variation_pk": w.variation.pk}


NOT_FOUND_SIGNED_IN = o("login", 404, 404, 404, 404, 404, 404, 404)

MATRIX: dict[str, list[Case]] = {
    A + "ending_list": [Case("mine", lambda w: {}, SIGNED_IN_200)],
    # On a draft it explains that the agreement must be signed first.
    A + "variation_new": [Case("draft", draft, PARTIES), Case("active", active, PARTIES)],
    A + "variation_detail": [
        Case("active", variation, PARTIES),
        Case("wrong agreement", variation_of_another_agreement, NOT_FOUND_SIGNED_IN),
    ],
    A + "variation_approve": [Case("active", variation, PARTIES)],
    A + "variation_reject": [Case("active", variation, PARTIES)],
    A + "variation_withdraw": [Case("active", variation, PARTIES)],
    A + "renewal_decision": [Case("draft", draft, FUNDER_ONLY), Case("active", active, FUNDER_ONLY)],
}
