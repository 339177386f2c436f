"""Personas shared by every test: who they are decides what they may see.

- alice: admin of organisation A (a VCSE charity)
- bob: member of organisation A ("on Alice's team")
- charlie: member of organisation B, who must have no access to A's private things
- cora: coordinator of the partnership that both organisations belong to
- lena: partnership member with lived experience, representing no organisation
- pat: platform admin
- sid: commissioner at the ICB (a statutory organisation in the partnership)
"""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.tests.factories import UserFactory
from cocommission.demo.loader import load_demo_place
from cocommission.demo.together.world import TogetherDemo
from cocommission.organisations.models import Organisation
from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory
from cocommission.partnerships.models import Partnership, Sector
from cocommission.partnerships.tests.factories import (
    PartnershipFactory,
    PartnershipOrganisationFactory,
    PartnershipPersonFactory,
)


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Riverside Carers", slug="riverside-carers")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Hillside Food Bank", slug="hillside-food-bank")


@pytest.fixture
def alice(org_a):
    return MembershipFactory(organisation=org_a, admin=True, user__email="alice@example.org").user


@pytest.fixture
def bob(org_a, alice):
    return MembershipFactory(organisation=org_a, user__email="bob@example.org").user


@pytest.fixture
def charlie(org_b):
    return MembershipFactory(organisation=org_b, admin=True, user__email="charlie@example.org").user


@pytest.fixture
def partnership(org_a, org_b):
    p = PartnershipFactory(name="Brackenmoor Together", slug="brackenmoor-together")
    PartnershipOrganisationFactory(partnership=p, organisation=org_a, sector=Sector.VCSE)
    PartnershipOrganisationFactory(partnership=p, organisation=org_b, sector=Sector.VCSE)
    return p


@pytest.fixture
def cora(partnership):
    return PartnershipPersonFactory(partnership=partnership, coordinator=True, user__email="cora@example.org").user


@pytest.fixture
def lena(partnership):
    return PartnershipPersonFactory(partnership=partnership, lived_experience=True, user__email="lena@example.org").user


@pytest.fixture
def pat(db):
    return UserFactory(email="pat@example.org", platform_admin=True)


@pytest.fixture
def mfa_off(settings):
    """Most tests are not about MFA; this lets platform admins in without an authenticator."""
    settings.COCOMMISSION_MFA_REQUIRED = False


@pytest.fixture
def icb(partnership):
    """A statutory funder (an integrated care board) with a seat in the partnership."""
    org = OrganisationFactory(name="Brackenmoor ICB", slug="brackenmoor-icb", statutory=True)
    PartnershipOrganisationFactory(partnership=partnership, organisation=org, sector=Sector.STATUTORY)
    return org


@pytest.fixture
def sid(icb):
    """sid: a commissioner, member of the ICB."""
    return MembershipFactory(organisation=icb, admin=True, user__email="sid@example.org").user


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    """Today's date, with the clock held still for the test so that a run crossing midnight sees
    the same day in the test and in the code under test."""
    instant = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: instant)
    return timezone.localdate(instant)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[TogetherDemo]:
    """The whole demo place, loaded once for a test module and rolled back at its end.

    Loading takes a few seconds; each test still runs in its own savepoint inside this
    transaction (the `db` fixture), so what a test changes is undone before the next one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_place()
        yield TogetherDemo(
            today=timezone.localdate(),
            partnership=Partnership.objects.get(slug="brackenmoor-together"),
            orgs={organisation.slug: organisation for organisation in Organisation.objects.all()},
        )
        transaction.set_rollback(True)
