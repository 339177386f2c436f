"""Permission-matrix cases for the agreement pages of the schedule part: indexation, the payment
schedule, marking an instalment paid, and the published index values platform admins keep.

Once an agreement is signed (`active`), the indexation page sends the funder back to the
agreement with the reason ("redirect"); the wrong side is still refused first (403)."""

from typing import Any

from .common import FUNDER_ONLY, PARTIES, PLATFORM_ADMINS, AgreementWorld, Case, active, draft, o

A = "agreements:"

SIGNED_FUNDER_SENT_BACK = o("login", 403, 403, 404, 404, 404, 404, "redirect")


def active_instalment(w: AgreementWorld) -> dict[str, Any]:
    return {"pk": w.active.pk, "instalment_pk": w.instalment.pk}


def instalment_of_another_agreement(w: AgreementWorld) -> dict[str, Any]:
    # The instalment belongs to `active`: through `draft` it does not exist.
    return {"pk": w.draft.pk, "instalment_pk": w.instalment.pk}


def no_kwargs(w: AgreementWorld) -> dict[str, Any]:
    return {}


def index_value(w: AgreementWorld) -> dict[str, Any]:
    return {"pk": w.index_value.pk}


MATRIX: dict[str, list[Case]] = {
    A + "indexation": [Case("draft", draft, FUNDER_ONLY), Case("active", active, SIGNED_FUNDER_SENT_BACK)],
    A + "schedule": [Case("draft", draft, PARTIES), Case("active", active, PARTIES)],
    A + "instalment_paid": [
        Case("active", active_instalment, FUNDER_ONLY),
        Case("wrong agreement", instalment_of_another_agreement, o("login", 403, 403, 404, 404, 404, 404, 404)),
    ],
    A + "index_values": [Case("list", no_kwargs, PLATFORM_ADMINS)],
    A + "index_value_add": [Case("add", no_kwargs, PLATFORM_ADMINS)],
    A + "index_value_change": [Case("change", index_value, PLATFORM_ADMINS)],
}
