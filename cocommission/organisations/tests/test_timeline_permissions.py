"""Who reads which timeline entries: members of the two organisations, and the coordinators of
the partnership when an entry is its business. Nobody else, platform admins included."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from cocommission.organisations.models import Interaction
from cocommission.organisations.permissions import timeline_acting_organisations
from cocommission.organisations.selectors.timeline import timeline_for_page, timeline_for_user
from cocommission.organisations.tests.factories import InteractionFactory, MembershipFactory, OrganisationFactory
from cocommission.partnerships.tests.factories import PartnershipOrganisationFactory

pytestmark = pytest.mark.django_db


def _entry(first, second, summary, partnership=None, days_ago=0):
    a, b = sorted((first, second), key=lambda o: o.pk)
    return InteractionFactory(
        organisation_a=a,
        organisation_b=b,
        summary=summary,
        partnership=partnership,
        occurred_on=datetime.date(2025, 5, 1) - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def org_c(partnership):
    org = OrganisationFactory(name="Moorside Recovery", slug="moorside-recovery")
    PartnershipOrganisationFactory(partnership=partnership, organisation=org)
    return org


@pytest.fixture
def dave(org_c):
    return MembershipFactory(organisation=org_c, user__email="dave@example.org").user


@pytest.fixture
def entries(org_a, org_b, org_c, partnership):
    return {
        "a-b": _entry(org_a, org_b, "a-b", days_ago=1),
        "a-b partnership": _entry(org_a, org_b, "a-b partnership", partnership, days_ago=2),
        "a-c": _entry(org_a, org_c, "a-c", days_ago=3),
        "a-c partnership": _entry(org_c, org_a, "a-c partnership", partnership, days_ago=4),
        "b-c": _entry(org_b, org_c, "b-c", days_ago=5),
    }


def _seen(user, organisation) -> list[str]:
    return [e.summary for e in timeline_for_user(user=user, organisation=organisation)]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", ["a-b", "a-b partnership", "a-c", "a-c partnership"]),
        ("bob", ["a-b", "a-b partnership", "a-c", "a-c partnership"]),
        ("charlie", ["a-b", "a-b partnership"]),
        ("dave", ["a-c", "a-c partnership"]),
        ("cora", ["a-b partnership", "a-c partnership"]),
        ("lena", []),
        ("pat", []),
    ],
)
def test_what_each_persona_sees_on_organisation_a_s_page(request, entries, org_a, persona, expected):
    assert _seen(request.getfixturevalue(persona), org_a) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", ["a-b", "a-b partnership"]),
        ("charlie", ["a-b", "a-b partnership", "b-c"]),
        ("cora", ["a-b partnership"]),
        ("lena", []),
    ],
)
def test_what_each_persona_sees_on_organisation_b_s_page(request, entries, org_b, persona, expected):
    assert _seen(request.getfixturevalue(persona), org_b) == expected


def test_anonymous_people_see_nothing(entries, org_a):
    assert _seen(AnonymousUser(), org_a) == []


def test_someone_in_two_organisations_sees_both_pairs_once(entries, org_a, org_b, org_c, charlie):
    MembershipFactory(organisation=org_c, user=charlie)
    assert _seen(charlie, org_a) == ["a-b", "a-b partnership", "a-c", "a-c partnership"]
    assert len(set(_seen(charlie, org_a))) == 4


def test_a_coordinator_who_is_also_a_member_sees_no_duplicates(entries, org_a, org_b, cora):
    MembershipFactory(organisation=org_b, user=cora)
    assert _seen(cora, org_a) == ["a-b", "a-b partnership", "a-c partnership"]


def test_the_panel_shows_the_latest_few(entries, org_a, alice):
    assert [e.summary for e in timeline_for_page(user=alice, organisation=org_a, limit=2)] == ["a-b", "a-b partnership"]


def test_people_act_for_their_other_organisations(org_a, org_b, org_c, alice, charlie, dave, cora):
    assert timeline_acting_organisations(charlie, org_a) == [org_b]
    assert timeline_acting_organisations(alice, org_a) == [], "an entry is always with another organisation"
    assert timeline_acting_organisations(cora, org_a) == []
    MembershipFactory(organisation=org_c, user=charlie)
    assert [o.name for o in timeline_acting_organisations(charlie, org_a)] == [
        "Hillside Food Bank",
        "Moorside Recovery",
    ]
    assert Interaction.objects.count() == 0
