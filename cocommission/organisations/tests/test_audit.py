"""The audit page and admin: who sees an organisation's history, what it says, and that nobody can edit it."""

from decimal import Decimal
from typing import Any, cast

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Membership, Organisation
from cocommission.organisations.services.members import change_role, invite_member
from cocommission.organisations.services.organisations import OrganisationDetails, update_organisation
from cocommission.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def audit_url(organisation: Organisation) -> str:
    return reverse("organisations:audit", args=[organisation.slug])


@pytest.fixture
def history(alice: Any, bob: Any, org_a: Organisation) -> Organisation:
    update_organisation(
        actor=alice,
        organisation=org_a,
        details=OrganisationDetails(
            name="Riverside Carers",
            kind="vcse",
            legal_form="cio",
            latest_annual_income=Decimal("150000"),
            public_email=org_a.public_email,
        ),
    )
    change_role(actor=alice, membership=Membership.objects.get(user=bob), role="admin")
    invite_member(actor=alice, organisation=org_a, email="new@example.org", role="member")
    return org_a


def test_an_admin_sees_who_changed_what_from_and_to(client: Client, alice: Any, history: Organisation) -> None:
    client.force_login(alice)
    response = client.get(audit_url(history))
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 changes recorded" in html
    assert alice.get_full_name() in html and "alice@example.org" in html
    assert "Changed organisation" in html and "Created invitation" in html and "Changed membership" in html
    # Labels and values in words, not column names and codes.
    assert "Latest annual income" in html and "£85,000.00" in html and "£150,000.00" in html
    assert "Small (£10,000 to £99,999)" in html and "Medium (£100,000 to £999,999)" in html
    assert "Member" in html and "Admin" in html
    assert "changed to" in html
    # Newest first.
    assert html.index("Created invitation") < html.index("Changed membership") < html.index("Changed organisation")
    assert "new@example.org" in html


def test_a_platform_admin_sees_the_history(client: Client, pat: Any, mfa_off: Any, history: Organisation) -> None:
    client.force_login(pat)
    assert client.get(audit_url(history)).status_code == 200


@pytest.mark.parametrize("persona", ["bob", "charlie", "cora", "lena"])
def test_members_who_are_not_admins_and_outsiders_are_refused(
    client: Client, request: Any, org_a: Organisation, alice: Any, persona: str
) -> None:
    if persona == "bob":
        request.getfixturevalue("bob")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(audit_url(org_a)).status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client: Client, org_a: Organisation) -> None:
    response = client.get(audit_url(org_a))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_only_this_organisations_history_is_shown(
    client: Client, alice: Any, charlie: Any, org_a: Organisation, org_b: Organisation
) -> None:
    invite_member(actor=charlie, organisation=org_b, email="hillside-secret@example.org", role="member")
    client.force_login(alice)
    html = client.get(audit_url(org_a)).content.decode()
    assert "hillside-secret@example.org" not in html
    assert "No changes have been recorded yet." in html


def test_the_page_cannot_change_anything(client: Client, alice: Any, history: Organisation) -> None:
    client.force_login(alice)
    count = AuditEvent.objects.count()
    assert client.post(audit_url(history)).status_code == 405
    html = client.get(audit_url(history)).content.decode()
    assert '<form method="post"' not in html.split('id="main-content"')[1]
    assert AuditEvent.objects.count() == count


def test_the_history_is_paginated_without_a_query_per_row(
    client: Client, alice: Any, org_a: Organisation, django_assert_num_queries: Any
) -> None:
    def add_changes(count: int) -> None:
        for _ in range(count):
            membership = cast(Membership, MembershipFactory(organisation=org_a))
            change_role(actor=alice, membership=membership, role="admin")

    client.force_login(alice)
    add_changes(2)
    with CaptureQueriesContext(connection) as few:
        client.get(audit_url(org_a))
    add_changes(30)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(audit_url(org_a))
    assert len(response.context["rows"]) == 20
    assert response.context["page"].paginator.num_pages == 2


# The Django admin


def test_platform_admins_read_audit_entries_in_the_admin_but_cannot_change_them(
    client: Client, pat: Any, mfa_off: Any, history: Organisation
) -> None:
    client.force_login(pat)
    event = AuditEvent.objects.first()
    assert event is not None
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    detail = client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert (
        client.post(reverse("admin:core_auditevent_change", args=[event.pk]), {"action": "delete"}).status_code == 403
    )
    assert client.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_changes_made_in_the_django_admin_are_audited_too(
    client: Client, pat: Any, mfa_off: Any, org_a: Organisation
) -> None:
    client.force_login(pat)
    response = client.post(
        reverse("admin:organisations_organisation_change", args=[org_a.pk]),
        {
            "name": "Riverside Carers (renamed)",
            "slug": org_a.slug,
            "kind": org_a.kind,
            "legal_form": org_a.legal_form,
            "latest_annual_income": "85000.00",
            "public_email": org_a.public_email,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(organisation_id=org_a.pk)
    assert event.actor == pat and event.action == "update"
    assert event.changes == {"name": ["Riverside Carers", "Riverside Carers (renamed)"]}


@pytest.mark.parametrize(
    "model", ["area", "organisation", "membership", "invitation", "passportdocument", "interaction"]
)
def test_every_organisation_model_has_an_admin_page(client: Client, pat: Any, mfa_off: Any, model: str) -> None:
    client.force_login(pat)
    assert client.get(reverse(f"admin:organisations_{model}_changelist")).status_code == 200


def test_the_django_admin_keeps_the_last_admin_too(
    client: Client, pat: Any, mfa_off: Any, alice: Any, bob: Any
) -> None:
    client.force_login(pat)
    alices = Membership.objects.get(user=alice)
    bobs = Membership.objects.get(user=bob)
    assert client.get(reverse("admin:organisations_membership_delete", args=[alices.pk])).status_code == 403
    assert client.get(reverse("admin:organisations_membership_delete", args=[bobs.pk])).status_code == 200
    response = client.post(
        reverse("admin:organisations_membership_change", args=[alices.pk]),
        {"user": alice.pk, "organisation": alices.organisation_id, "role": "member", "job_title": ""},
    )
    assert response.status_code == 200
    assert "must have at least one admin" in response.content.decode()
    assert Membership.objects.get(pk=alices.pk).role == "admin"


def test_dates_in_the_history_read_as_dates(client: Client, alice: Any, org_a: Organisation) -> None:
    invitation = invite_member(actor=alice, organisation=org_a, email="new@example.org", role="member")
    client.force_login(alice)
    html = client.get(audit_url(org_a)).content.decode()
    expected = date_format(timezone.localtime(invitation.expires_at), "j F Y, H:i")
    assert expected in html
    assert invitation.expires_at.isoformat() not in html
