"""The world every agreement matrix case runs in, and the outcome shorthands.

The ICB (sid is its commissioner) funds two agreements with organisation A (alice is its
admin, bob a member): `draft`, not signed yet, and `active`, signed by both, with a budget
line, a break clause, an unpaid instalment and a proposed variation. Organisation B (charlie)
is a partnership member but no party; cora coordinates the partnership; lena is a lived-
experience member; pat is a platform admin. Parties see agreements; nobody else knows they exist.
"""

from dataclasses import dataclass
from typing import Any

from ..test_permission_matrix_commissioning import COMMISSIONING_PERSONAS

PERSONAS = COMMISSIONING_PERSONAS  # anonymous, alice, bob, charlie, cora, lena, pat, sid


@dataclass
class AgreementWorld:
    draft: Any
    active: Any
    break_clause: Any
    budget_line: Any
    instalment: Any
    variation: Any
    org_a: Any
    icb: Any
    index_value: Any


def o(*codes: Any) -> dict[str, Any]:
    """Outcomes in PERSONAS order: anonymous, alice, bob, charlie, cora, lena, pat, sid."""
    assert len(codes) == len(PERSONAS)
    return dict(zip(PERSONAS, codes, strict=True))


@dataclass(frozen=True)
class Case:
    label: str
    kwargs: Any  # Callable[[AgreementWorld], dict[str, Any]]
    expected: dict[str, Any]


ALL_200 = o(200, 200, 200, 200, 200, 200, 200, 200)
SIGNED_IN_200 = o("login", 200, 200, 200, 200, 200, 200, 200)
PARTIES = o("login", 200, 200, 404, 404, 404, 404, 200)
FUNDER_ONLY = o("login", 403, 403, 404, 404, 404, 404, 200)
PROVIDER_ONLY = o("login", 200, 200, 404, 404, 404, 404, 403)
PROVIDER_ADMINS = o("login", 200, 403, 404, 404, 404, 404, 403)
POST_ONLY = o("login", 405, 405, 405, 405, 405, 405, 405)
PLATFORM_ADMINS = o("login", 403, 403, 403, 403, 403, 200, 403)
NOT_FOUND = o(404, 404, 404, 404, 404, 404, 404, 404)


def draft(w: AgreementWorld) -> dict[str, Any]:
    return {"pk": w.draft.pk}


def active(w: AgreementWorld) -> dict[str, Any]:
    return {"pk": w.active.pk}
