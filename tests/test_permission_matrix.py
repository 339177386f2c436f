"""Every URL pattern and every persona, with the outcome each should get on a GET.

Outcomes: 200 (the page), "login" (sent to sign in), "redirect" (sent elsewhere), or the error
status. A new URL pattern without an entry here (or, for commissioning pages, in
test_permission_matrix_commissioning.py) fails `test_every_url_pattern_has_an_entry`.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cocommission.organisations.models import Invitation, Membership, PassportDocument
from cocommission.organisations.tests.factories import MembershipFactory
from cocommission.partnerships.models import PartnershipOrganisation, PartnershipPerson

PERSONAS = ["anonymous", "alice", "bob", "charlie", "cora", "lena", "pat"]


@dataclass
class World:
    org_a: Any
    org_b: Any
    partnership: Any
    invitation: Invitation
    bob_membership: Membership
    document: PassportDocument
    seat: PartnershipOrganisation
    lena_person: PartnershipPerson


def _o(*codes: Any) -> dict[str, Any]:
    """Outcomes in PERSONAS order."""
    assert len(codes) == len(PERSONAS)
    return dict(zip(PERSONAS, codes, strict=True))


ALL_200 = _o(200, 200, 200, 200, 200, 200, 200)
SIGNED_IN_200 = _o("login", 200, 200, 200, 200, 200, 200)
ANONYMOUS_ONLY = _o(200, "redirect", "redirect", "redirect", "redirect", "redirect", "redirect")

A = "org_a"
Kwargs = Callable[[World], dict[str, Any]]


def slug_a(w: World) -> dict[str, Any]:
    return {"slug": w.org_a.slug}


def partnership_slug(w: World) -> dict[str, Any]:
    return {"slug": w.partnership.slug}


def no_kwargs(w: World) -> dict[str, Any]:
    return {}


# url name -> (kwargs builder, outcomes). Organisation pages are for organisation A, whose admin
# is alice and member bob; charlie (organisation B) is the outsider.
def member_pk(w: World) -> dict[str, Any]:
    return {"slug": w.org_a.slug, "pk": w.bob_membership.pk}


def invitation_pk(w: World) -> dict[str, Any]:
    return {"slug": w.org_a.slug, "pk": w.invitation.pk}


def document_pk(w: World) -> dict[str, Any]:
    return {"pk": w.document.pk}


def seat_pk(w: World) -> dict[str, Any]:
    return {"slug": w.partnership.slug, "pk": w.seat.pk}


def person_pk(w: World) -> dict[str, Any]:
    return {"slug": w.partnership.slug, "pk": w.lena_person.pk}


ORG_ADMINS = _o("login", 200, 403, 403, 403, 403, 403)
PASSPORT_READERS = _o("login", 200, 200, 404, 404, 404, 200)
PASSPORT_WRITERS = _o("login", 200, 200, 404, 404, 404, 403)
COORDINATORS = _o("login", 403, 403, 403, 200, 403, 403)
# allauth pages that need a fresh sign in, or a flow in progress, send signed-in people on.
FLOW_STEP = _o("login", "redirect", "redirect", "redirect", "redirect", "redirect", "redirect")
# allauth answers 404 for the recovery-code and deactivate pages until the person has set up MFA.
NEEDS_MFA_SET_UP = _o("login", 404, 404, 404, 404, 404, 404)

MATRIX: dict[str, tuple[Kwargs, dict[str, Any]]] = {
    "core:home": (no_kwargs, ALL_200),
    "core:dashboard": (no_kwargs, SIGNED_IN_200),
    "accounts:settings": (no_kwargs, SIGNED_IN_200),
    # Signing in and out (django-allauth)
    "account_login": (no_kwargs, ANONYMOUS_ONLY),
    "account_signup": (no_kwargs, ANONYMOUS_ONLY),
    "account_logout": (no_kwargs, _o("redirect", 200, 200, 200, 200, 200, 200)),
    "account_inactive": (no_kwargs, ALL_200),
    "account_reauthenticate": (no_kwargs, SIGNED_IN_200),
    "account_request_reauthentication_code": (no_kwargs, FLOW_STEP),
    "account_confirm_reauthentication_code": (no_kwargs, FLOW_STEP),
    "account_email": (no_kwargs, SIGNED_IN_200),
    "account_email_verification_sent": (no_kwargs, ALL_200),
    "account_change_password": (no_kwargs, SIGNED_IN_200),
    "account_set_password": (no_kwargs, FLOW_STEP),
    "account_reset_password": (no_kwargs, ALL_200),
    "account_reset_password_done": (no_kwargs, ALL_200),
    "account_reset_password_from_key_done": (no_kwargs, ALL_200),
    "account_confirm_login_code": (no_kwargs, FLOW_STEP),
    # A made-up key shows the "link no longer works" page to everyone.
    "account_confirm_email": (lambda w: {"key": "not-a-real-key"}, ALL_200),
    "account_reset_password_from_key": (lambda w: {"uidb36": "zz", "key": "not-a-real-key"}, ALL_200),
    "mfa_index": (no_kwargs, SIGNED_IN_200),
    "mfa_authenticate": (no_kwargs, FLOW_STEP),
    "mfa_reauthenticate": (no_kwargs, FLOW_STEP),
    "mfa_activate_totp": (no_kwargs, FLOW_STEP),
    "mfa_deactivate_totp": (no_kwargs, NEEDS_MFA_SET_UP),
    "mfa_view_recovery_codes": (no_kwargs, NEEDS_MFA_SET_UP),
    "mfa_generate_recovery_codes": (no_kwargs, FLOW_STEP),
    "mfa_download_recovery_codes": (no_kwargs, NEEDS_MFA_SET_UP),
    # Organisations
    "organisations:directory": (no_kwargs, ALL_200),
    "organisations:create": (no_kwargs, SIGNED_IN_200),
    "organisations:detail": (slug_a, ALL_200),
    "organisations:edit": (slug_a, ORG_ADMINS),
    # The invitation is for newcomer@example.org: everyone else is told it is not theirs.
    "organisations:accept_invitation": (
        lambda w: {"token": w.invitation.token},
        _o("login", 403, 403, 403, 403, 403, 403),
    ),
    "organisations:members": (slug_a, _o("login", 200, 200, 403, 403, 403, 403)),
    "organisations:invite": (slug_a, ORG_ADMINS),
    "organisations:invitations": (slug_a, ORG_ADMINS),
    "organisations:withdraw_invitation": (invitation_pk, ORG_ADMINS),
    "organisations:leave": (slug_a, _o("login", 200, 200, 403, 403, 403, 403)),
    "organisations:member_role": (member_pk, ORG_ADMINS),
    "organisations:member_remove": (member_pk, ORG_ADMINS),
    "organisations:audit": (slug_a, _o("login", 200, 403, 403, 403, 403, 200)),
    "organisations:passport": (slug_a, PASSPORT_READERS),
    "organisations:passport_upload": (slug_a, PASSPORT_WRITERS),
    "organisations:passport_history": (
        lambda w: {"slug": w.org_a.slug, "kind": "safeguarding_policy"},
        PASSPORT_READERS,
    ),
    "organisations:passport_download": (document_pk, PASSPORT_READERS),
    "organisations:passport_remove": (document_pk, PASSPORT_WRITERS),
    "organisations:timeline": (slug_a, SIGNED_IN_200),
    # Entries are added from the other organisation's page: only charlie (organisation B) may.
    "organisations:timeline_add": (slug_a, _o("login", 403, 403, 200, 403, 403, 403)),
    # Partnerships: org A and org B are members; cora coordinates; lena has lived experience.
    "partnerships:list": (no_kwargs, SIGNED_IN_200),
    "partnerships:create": (no_kwargs, SIGNED_IN_200),
    "partnerships:detail": (partnership_slug, SIGNED_IN_200),
    "partnerships:edit": (partnership_slug, COORDINATORS),
    "partnerships:audit": (partnership_slug, _o("login", 403, 403, 403, 200, 403, 200)),
    "partnerships:leave": (partnership_slug, _o("login", 403, 403, 403, 200, 200, 403)),
    "partnerships:organisation_add": (partnership_slug, COORDINATORS),
    "partnerships:organisation_change": (seat_pk, COORDINATORS),
    "partnerships:organisation_remove": (seat_pk, COORDINATORS),
    "partnerships:person_add": (partnership_slug, COORDINATORS),
    "partnerships:person_change": (person_pk, COORDINATORS),
    "partnerships:person_remove": (person_pk, COORDINATORS),
    # Django admin: platform admins only; everyone else is sent to sign in as an admin.
    "admin:index": (no_kwargs, _o("redirect", "redirect", "redirect", "redirect", "redirect", "redirect", 200)),
    "admin:app_list": (lambda w: {"app_label": "organisations"}, _o(*["redirect"] * 6, 200)),
    "admin:password_change": (no_kwargs, _o(*["redirect"] * 6, 200)),
    "admin:jsi18n": (no_kwargs, _o(*["redirect"] * 6, 200)),
}
# Admin pages whose GET is not a page: logout only accepts POST; the login page forwards to
# allauth's (checked in the accounts tests); autocomplete needs query parameters.
NOT_PAGES = {"admin:logout", "admin:login", "admin:autocomplete", "admin:view_on_site", "admin:password_change_done"}
ADMIN_MODEL_PAGE_SUFFIXES = ("_changelist", "_add", "_change", "_delete", "_history", "_password_change")


def is_admin_model_page(name: str) -> bool:
    """The Django admin's per-model pages, covered by test_admin_model_pages_are_for_platform_admins_only."""
    return name.startswith("admin:") and name.endswith(ADMIN_MODEL_PAGE_SUFFIXES)


def url_names() -> Iterator[str]:
    """Every named URL pattern in the project."""

    def walk(patterns: list[Any], namespace: str | None) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = (
                    p.namespace if namespace is None else (f"{namespace}:{p.namespace}" if p.namespace else namespace)
                )
                yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}:{p.name}" if namespace else p.name

    yield from walk(get_resolver().url_patterns, None)


@pytest.fixture
def world(org_a, org_b, alice, bob, charlie, partnership, cora, lena, pat, mfa_off) -> World:
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from cocommission.accounts.tests.factories import UserFactory
    from cocommission.core.audit import record_create
    from cocommission.demo.loader import demo_pdf

    invitation = Invitation.objects.create(
        organisation=org_a,
        email="newcomer@example.org",
        token="matrix-token",
        invited_by=alice,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    document = PassportDocument(
        organisation=org_a,
        kind=PassportDocument.Kind.SAFEGUARDING,
        original_filename="safeguarding.pdf",
        content_type="application/pdf",
        size_bytes=100,
    )
    document.file.save("x", ContentFile(demo_pdf("Safeguarding")), save=False)
    document.save()
    record_create(actor=alice, instance=document, organisation_id=org_a.pk)
    MembershipFactory(organisation=org_a, user=UserFactory())  # so bob is not the only member
    return World(
        org_a=org_a,
        org_b=org_b,
        partnership=partnership,
        invitation=invitation,
        bob_membership=Membership.objects.get(user=bob, organisation=org_a),
        document=document,
        seat=PartnershipOrganisation.objects.get(partnership=partnership, organisation=org_a),
        lena_person=PartnershipPerson.objects.get(partnership=partnership, user=lena),
    )


def outcome(response: Any) -> Any:
    if response.status_code in (301, 302):
        location = response.headers["Location"]
        if location.startswith(reverse("account_login")):
            return "login"
        return "redirect"
    return response.status_code


def login_as(client: Any, persona: str, request: Any) -> None:
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))


def test_every_url_pattern_has_an_entry():
    # Imported here: that module imports this one. Commissioning pages have their own matrix,
    # with sid the commissioner as an eighth persona and several cases per page.
    from .test_permission_matrix_agreements import AGREEMENTS_MATRIX
    from .test_permission_matrix_commissioning import COMMISSIONING_MATRIX
    from .test_permission_matrix_together import TOGETHER_MATRIX

    names = set(url_names())
    covered = MATRIX.keys() | COMMISSIONING_MATRIX.keys() | AGREEMENTS_MATRIX.keys() | TOGETHER_MATRIX.keys()
    missing = sorted(n for n in names if n not in covered and n not in NOT_PAGES and not is_admin_model_page(n))
    assert missing == [], f"Add these URL patterns to MATRIX (or COMMISSIONING_MATRIX): {missing}"
    stale = sorted(n for n in covered if n not in names)
    assert stale == [], f"The matrices name URL patterns that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_outcome_of_every_persona(name, world, client, request):
    kwargs_for, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs_for(world))
    actual = {}
    for persona in PERSONAS:
        client.logout()
        login_as(client, persona, request)
        actual[persona] = outcome(client.get(url))
    assert actual == expected, url


@pytest.mark.django_db
def test_admin_model_pages_are_for_platform_admins_only(world, client, request):
    url = reverse("admin:organisations_organisation_changelist")
    for persona in PERSONAS:
        client.logout()
        login_as(client, persona, request)
        assert outcome(client.get(url)) == (200 if persona == "pat" else "redirect"), persona
