"""The dashboard's 'Agreements waiting for you', and who is offered the overhead-rate link."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocommission.agreements.models import Agreement
from cocommission.agreements.selectors.dashboard import agreements_waiting_for
from cocommission.commissioning.tests.factories import ConsortiumFactory, ConsortiumMemberFactory

from .factories import AgreementFactory, VariationFactory

pytestmark = pytest.mark.django_db


def test_each_side_sees_what_waits_for_it(icb, sid, org_a, alice, charlie):
    draft = AgreementFactory.create(funder=icb, provider=org_a)
    offered = AgreementFactory.create(funder=icb, provider=org_a, offered=True)
    signed_by_funder = AgreementFactory.create(
        funder=icb, provider=org_a, status="signed_by_funder", funder_signed_at=timezone.now()
    )
    variation = VariationFactory.create(
        agreement__funder=icb, agreement__provider=org_a, funder_approved_at=timezone.now()
    )
    funder_sees = {(w.agreement.pk, w.what) for w in agreements_waiting_for(sid)}
    assert funder_sees == {(draft.pk, "complete and offer it"), (offered.pk, "sign it")}
    provider_sees = {(w.agreement.pk, w.what) for w in agreements_waiting_for(alice)}
    assert provider_sees == {
        (offered.pk, "sign it"),
        (signed_by_funder.pk, "sign it"),
        (variation.agreement.pk, f"approve or reject variation {variation.number}"),
    }
    assert agreements_waiting_for(charlie) == []


def test_the_dashboard_lists_them_in_a_fixed_number_of_queries(icb, sid, org_a, alice, client, mfa_off):
    client.force_login(alice)

    def queries_with(count: int) -> tuple[int, str]:
        while Agreement.objects.count() < count:
            AgreementFactory.create(funder=icb, provider=org_a, offered=True)
        with CaptureQueriesContext(connection) as captured:
            body = client.get(reverse("core:dashboard")).content.decode()
        return len(captured), body

    few, _ = queries_with(1)
    many, body = queries_with(8)
    assert few == many
    assert "Agreements waiting for you" in body and body.count("sign it") == 5


def test_only_provider_admins_are_offered_the_overhead_rate_link(
    icb, sid, org_a, alice, bob, org_b, charlie, mfa_off, client
):
    group = ConsortiumFactory.create(lead=org_a)
    ConsortiumMemberFactory.create(consortium=group, organisation=org_a, confirmed=True)
    ConsortiumMemberFactory.create(consortium=group, organisation=org_b, confirmed=True)
    agreement = AgreementFactory.create(funder=icb, provider=org_a, consortium=group)
    link = reverse("agreements:overheads", args=[org_a.slug])
    seen = {}
    for person in (alice, bob, charlie, sid):
        client.force_login(person)
        seen[person.email] = link in client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert seen == {
        "alice@example.org": True,
        "bob@example.org": False,
        "charlie@example.org": False,
        "sid@example.org": False,
    }
