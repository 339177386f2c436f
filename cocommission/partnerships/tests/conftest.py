"""Personas for partnership tests on top of the shared ones in the root conftest."""

import pytest

from cocommission.organisations.tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def outsider(db):
    """Dana, admin of an organisation that is not in the partnership: she must not learn who is."""
    elsewhere = OrganisationFactory.create(name="Moorside Mutual Aid", slug="moorside-mutual-aid")
    return MembershipFactory.create(organisation=elsewhere, admin=True, user__email="dana@example.org").user


@pytest.fixture
def everyone(alice, bob, charlie, cora, lena, pat, outsider):
    return {
        "alice": alice,
        "bob": bob,
        "charlie": charlie,
        "cora": cora,
        "lena": lena,
        "pat": pat,
        "outsider": outsider,
    }
