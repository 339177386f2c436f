"""The timeline pages: reading, adding, and who is refused."""

import datetime
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cocommission.organisations.models import Interaction
from cocommission.organisations.tests.factories import InteractionFactory, MembershipFactory, OrganisationFactory
from cocommission.organisations.views.timeline import timeline_panel

pytestmark = pytest.mark.django_db


def _pair(first, second):
    return dict(zip(("organisation_a", "organisation_b"), sorted((first, second), key=lambda o: o.pk), strict=True))


def _url(org, name="timeline") -> str:
    return reverse(f"organisations:{name}", args=[org.slug])


def _form(**overrides):
    data = {"kind": "meeting", "occurred_on": timezone.localdate().isoformat(), "summary": "Met about the carers hub."}
    data.update(overrides)
    return data


@pytest.fixture
def entries(org_a, org_b, partnership):
    org_c = OrganisationFactory(name="Moorside Recovery")
    return [
        InteractionFactory(**_pair(org_a, org_b), summary="Between A and B", occurred_on=datetime.date(2025, 3, 2)),
        InteractionFactory(**_pair(org_a, org_c), summary="Between A and C", occurred_on=datetime.date(2025, 3, 1)),
        InteractionFactory(
            **_pair(org_a, org_b),
            summary="Partnership business",
            partnership=partnership,
            occurred_on=datetime.date(2025, 2, 1),
        ),
    ]


# Reading


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("alice", ["Between A and B", "Between A and C", "Partnership business"], []),
        ("charlie", ["Between A and B", "Partnership business"], ["Between A and C"]),
        ("cora", ["Partnership business"], ["Between A and B", "Between A and C"]),
        ("lena", [], ["Between A and B", "Between A and C", "Partnership business"]),
        ("pat", [], ["Between A and B", "Between A and C", "Partnership business"]),
    ],
)
def test_the_timeline_page_shows_each_person_only_their_entries(
    client, request, mfa_off, entries, org_a, persona, visible, hidden
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_url(org_a))
    assert response.status_code == 200
    html = response.content.decode()
    for summary in visible:
        assert summary in html
    for summary in hidden:
        assert summary not in html
    if not visible:
        assert "There are no entries you can see yet." in html


def test_entries_are_newest_first_and_name_the_other_organisation(client, charlie, entries, org_a):
    client.force_login(charlie)
    html = client.get(_url(org_a)).content.decode()
    assert html.index("Between A and B") < html.index("Partnership business")
    assert "Meeting with Hillside Food Bank" in html or "Note with Hillside Food Bank" in html
    assert "partnership business: Brackenmoor Together" in html


def test_anonymous_people_are_sent_to_sign_in(client, org_a, entries):
    for name in ("timeline", "timeline_add"):
        response = client.get(_url(org_a, name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_an_unknown_organisation_is_a_404(client, charlie):
    client.force_login(charlie)
    assert client.get(reverse("organisations:timeline", args=["nowhere"])).status_code == 404
    assert client.get(reverse("organisations:timeline_add", args=["nowhere"])).status_code == 404


def test_the_timeline_page_is_paginated_and_its_queries_do_not_grow(
    client, settings, charlie, org_a, org_b, partnership, django_assert_max_num_queries
):
    settings.PAGE_SIZE = 5
    client.force_login(charlie)
    InteractionFactory(**_pair(org_a, org_b), summary="entry 0", partnership=partnership)
    with django_assert_max_num_queries(50) as few:
        client.get(_url(org_a))
    baseline = len(few.captured_queries)
    for n in range(1, 12):
        InteractionFactory(
            **_pair(org_a, org_b),
            summary=f"entry {n}",
            partnership=partnership if n % 2 else None,
            occurred_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
            created_by=MembershipFactory(organisation=org_b).user,
        )
    with django_assert_max_num_queries(baseline):
        response = client.get(_url(org_a) + "?page=2")
    html = response.content.decode()
    assert html.count('class="app-timeline__item"') == 5
    assert 'aria-current="page">2<' in html


# Adding


def test_a_member_of_another_organisation_adds_an_entry(client, charlie, org_a, org_b):
    client.force_login(charlie)
    form = client.get(_url(org_a, "timeline_add"))
    assert form.status_code == 200
    assert "Record contact between Hillside Food Bank and Riverside Carers." in form.content.decode()
    response = client.post(_url(org_a, "timeline_add"), _form(acting_for=org_b.pk))
    assert response.status_code == 302 and response["Location"] == _url(org_a)
    entry = Interaction.objects.get()
    assert {entry.organisation_a, entry.organisation_b} == {org_a, org_b} and entry.created_by == charlie
    assert entry.partnership is None
    page = client.get(_url(org_a)).content.decode()
    assert "Met about the carers hub." in page and "Entry added to the timeline with Riverside Carers" in page


def test_partnership_business_can_be_chosen_from_shared_partnerships(client, charlie, org_a, org_b, partnership):
    client.force_login(charlie)
    assert "Brackenmoor Together" in client.get(_url(org_a, "timeline_add")).content.decode()
    client.post(_url(org_a, "timeline_add"), _form(acting_for=org_b.pk, partnership=partnership.pk))
    assert Interaction.objects.get().partnership == partnership


def test_someone_in_two_organisations_chooses_which_one_they_act_for(client, charlie, org_a, org_b):
    org_c: Any = OrganisationFactory(name="Moorside Recovery")
    MembershipFactory(organisation=org_c, user=charlie)
    client.force_login(charlie)
    html = client.get(_url(org_a, "timeline_add")).content.decode()
    assert '<select name="acting_for"' in html
    assert f'<option value="{org_b.pk}" selected>Hillside Food Bank</option>' in html, "the first is chosen"
    client.post(_url(org_a, "timeline_add"), _form(acting_for=org_c.pk))
    entry = Interaction.objects.get()
    assert {entry.organisation_a_id, entry.organisation_b_id} == {org_a.pk, org_c.pk}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"summary": ""}, "summary", "Enter a summary"),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "The date must be today or in the past"),
        ({"occurred_on": "31/02/2025"}, "occurred_on", "Date must be a real date"),
        ({"kind": "award"}, "kind", "Select what kind of contact it was"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_the_rest(client, charlie, org_a, org_b, overrides, field, message):
    client.force_login(charlie)
    response = client.post(_url(org_a, "timeline_add"), _form(acting_for=org_b.pk, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and f'id="id_{field}-error"' in html
    assert "<title>Error:" in html
    if field != "summary":
        assert "Met about the carers hub." in html
    assert not Interaction.objects.exists()


def test_acting_for_the_page_s_own_organisation_is_refused(client, charlie, org_a, org_b):
    MembershipFactory(organisation=org_a, user=charlie)
    client.force_login(charlie)
    response = client.post(_url(org_a, "timeline_add"), _form(acting_for=org_a.pk))
    assert response.status_code == 200 and "Select your organisation" in response.content.decode()
    assert not Interaction.objects.exists()


def test_a_double_submission_is_refused(client, charlie, org_a, org_b):
    client.force_login(charlie)
    client.post(_url(org_a, "timeline_add"), _form(acting_for=org_b.pk))
    response = client.post(_url(org_a, "timeline_add"), _form(acting_for=org_b.pk))
    assert response.status_code == 200 and "This entry is already on the timeline" in response.content.decode()
    assert Interaction.objects.count() == 1


@pytest.mark.parametrize("persona", ["alice", "cora", "lena", "pat"])
def test_people_with_no_other_organisation_cannot_add(client, request, mfa_off, org_a, org_b, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(org_a, "timeline_add")).status_code == 403
    assert client.post(_url(org_a, "timeline_add"), _form(acting_for=org_b.pk)).status_code == 403
    assert not Interaction.objects.exists()


def test_anonymous_posts_are_refused(client, org_a, org_b):
    assert client.post(_url(org_a, "timeline_add"), _form(acting_for=org_b.pk)).status_code == 403
    assert not Interaction.objects.exists()


# The panel for the organisation's page


def _panel(user, organisation):
    request = RequestFactory().get("/")
    request.user = user
    return timeline_panel(request, organisation)


def test_the_panel_shows_the_latest_five_with_links(charlie, org_a, org_b):
    for n in range(7):
        InteractionFactory(**_pair(org_a, org_b), summary=f"entry {n}", occurred_on=datetime.date(2025, 1, 1 + n))
    context = _panel(charlie, org_a)
    assert [e.summary for e in context["timeline"]["entries"]] == [f"entry {n}" for n in range(6, 1, -1)]
    html = render_to_string("organisations/_timeline_panel.html", {"organisation": org_a, **context})
    assert html.count('class="app-timeline__item"') == 5
    assert _url(org_a) in html and _url(org_a, "timeline_add") in html


def test_the_panel_is_hidden_from_people_with_nothing_to_see_or_add(lena, org_a, entries):
    from django.contrib.auth.models import AnonymousUser

    assert _panel(lena, org_a) == {}
    assert _panel(AnonymousUser(), org_a) == {}


def test_the_organisation_s_own_members_see_the_panel_without_an_add_link(alice, org_a, entries):
    context = _panel(alice, org_a)
    assert len(context["timeline"]["entries"]) == 3 and not context["timeline"]["can_add"]
    assert context["show_timeline_panel"] is True
    html = render_to_string("organisations/_timeline_panel.html", {"organisation": org_a, **context})
    assert _url(org_a, "timeline_add") not in html
