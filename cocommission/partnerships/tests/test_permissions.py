from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cocommission.partnerships.models import PartnershipOrganisation, PartnershipPerson
from cocommission.partnerships.permissions import (
    access_partnership,
    access_partnership_organisation,
    access_partnership_person,
)
from cocommission.partnerships.tests.factories import PartnershipOrganisationFactory, PartnershipPersonFactory

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, HIDDEN = "ok", 403, 404

# Who may do what to "Brackenmoor Together". alice, bob and charlie belong through org_a and
# org_b; cora coordinates it; lena is an individual member; pat is a platform admin; the outsider
# belongs to an organisation without a seat.
MATRIX = {
    "view": {
        "alice": OK,
        "bob": OK,
        "charlie": OK,
        "cora": OK,
        "lena": OK,
        "pat": OK,
        "outsider": HIDDEN,
        "anonymous": HIDDEN,
    },
    "manage": {
        "alice": FORBIDDEN,
        "bob": FORBIDDEN,
        "charlie": FORBIDDEN,
        "cora": OK,
        "lena": FORBIDDEN,
        "pat": FORBIDDEN,
        "outsider": HIDDEN,
        "anonymous": HIDDEN,
    },
    "view_audit": {
        "alice": FORBIDDEN,
        "bob": FORBIDDEN,
        "charlie": FORBIDDEN,
        "cora": OK,
        "lena": FORBIDDEN,
        "pat": OK,
        "outsider": HIDDEN,
        "anonymous": HIDDEN,
    },
    "leave": {
        "alice": FORBIDDEN,
        "bob": FORBIDDEN,
        "charlie": FORBIDDEN,
        "cora": OK,
        "lena": OK,
        "pat": FORBIDDEN,
        "outsider": HIDDEN,
        "anonymous": HIDDEN,
    },
}
CASES = [(action, persona, outcome) for action, row in MATRIX.items() for persona, outcome in row.items()]


def _outcome(call: Callable[[], object]) -> object:
    try:
        call()
    except Http404:
        return HIDDEN
    except PermissionDenied:
        return FORBIDDEN
    return OK


@pytest.mark.parametrize(("action", "persona", "expected"), CASES)
def test_access_partnership(everyone, partnership, action, persona, expected):
    user: Any = AnonymousUser() if persona == "anonymous" else everyone[persona]
    got = _outcome(lambda: access_partnership(user=user, slug=partnership.slug, action=action))
    assert got == expected


def test_an_unknown_partnership_is_404(cora):
    with pytest.raises(Http404):
        access_partnership(user=cora, slug="no-such-thing", action="view")


def test_an_unknown_action_is_refused(cora, partnership):
    with pytest.raises(ValueError):
        access_partnership(user=cora, slug=partnership.slug, action="delete_everything")


def test_an_inactive_coordinator_has_no_access(cora, partnership):
    cora.is_active = False
    cora.save()
    with pytest.raises(Http404):
        access_partnership(user=cora, slug=partnership.slug, action="manage")


def test_access_partnership_returns_the_partnership(cora, partnership):
    assert access_partnership(user=cora, slug=partnership.slug, action="manage") == partnership


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("cora", OK), ("alice", FORBIDDEN), ("lena", FORBIDDEN), ("pat", FORBIDDEN), ("outsider", HIDDEN)],
)
def test_access_partnership_organisation(everyone, partnership, org_a, persona, expected):
    seat = PartnershipOrganisation.objects.get(partnership=partnership, organisation=org_a)
    user = everyone[persona]
    got = _outcome(lambda: access_partnership_organisation(user=user, partnership=partnership, pk=seat.pk))
    assert got == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("cora", OK), ("bob", FORBIDDEN), ("charlie", FORBIDDEN), ("pat", FORBIDDEN), ("outsider", HIDDEN)],
)
def test_access_partnership_person(everyone, partnership, persona, expected):
    lena_person = PartnershipPerson.objects.get(user=everyone["lena"])
    user = everyone[persona]
    got = _outcome(lambda: access_partnership_person(user=user, partnership=partnership, pk=lena_person.pk))
    assert got == expected


def test_a_coordinator_cannot_reach_another_partnerships_seat_or_person(cora, partnership):
    other_seat = PartnershipOrganisationFactory.create()
    other_person = PartnershipPersonFactory.create()
    with pytest.raises(Http404):
        access_partnership_organisation(user=cora, partnership=partnership, pk=other_seat.pk)
    with pytest.raises(Http404):
        access_partnership_person(user=cora, partnership=partnership, pk=other_person.pk)


def test_a_coordinator_of_one_partnership_cannot_see_another(cora):
    other = PartnershipOrganisationFactory.create().partnership
    with pytest.raises(Http404):
        access_partnership(user=cora, slug=other.slug, action="view")
