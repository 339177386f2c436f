"""The world every decide-together matrix case runs in, and the outcome shorthands.

The partnership (cora coordinates it) has organisation A (alice admin, bob member), organisation
B (charlie) and the ICB (sid) as member organisations, and lena, a lived-experience member who
represents no organisation. `outsider` objects belong to another partnership nobody here is in.
pat is a platform admin (who can see every partnership).
Partnership people (PartnershipPerson): cora (coordinator), lena; alice, bob, charlie and sid
belong through their organisations only, unless a case's world says otherwise.
"""

from dataclasses import dataclass, field
from typing import Any

from ..test_permission_matrix_commissioning import COMMISSIONING_PERSONAS

PERSONAS = COMMISSIONING_PERSONAS  # anonymous, alice, bob, charlie, cora, lena, pat, sid


@dataclass
class TogetherWorld:
    partnership: Any
    other_partnership: Any
    org_a: Any
    org_b: Any
    icb: Any
    extra: dict[str, Any] = field(default_factory=dict)  # objects a part's world set-up adds


def o(*codes: Any) -> dict[str, Any]:
    """Outcomes in PERSONAS order: anonymous, alice, bob, charlie, cora, lena, pat, sid."""
    assert len(codes) == len(PERSONAS)
    return dict(zip(PERSONAS, codes, strict=True))


@dataclass(frozen=True)
class Case:
    label: str
    kwargs: Any  # Callable[[TogetherWorld], dict[str, Any]]
    expected: dict[str, Any]


ALL_200 = o(200, 200, 200, 200, 200, 200, 200, 200)
MEMBERS = o("login", 200, 200, 200, 200, 200, 200, 200)  # pat sees every partnership
COORDINATORS = o("login", 403, 403, 403, 200, 403, 403, 403)
POST_ONLY = o("login", 405, 405, 405, 405, 405, 405, 405)
NOT_FOUND = o(404, 404, 404, 404, 404, 404, 404, 404)


def slug(w: TogetherWorld) -> dict[str, Any]:
    return {"slug": w.partnership.slug}


def extra(name: str, key: str = "pk") -> Any:
    """kwargs for a partnership page about one of the objects a part added to the world."""
    return lambda w: {"slug": w.partnership.slug, key: w.extra[name].pk}
