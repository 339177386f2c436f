"""Proposing a variation tells the other side, by email, that it waits for their approval."""

from decimal import Decimal

import pytest
from django.core import mail

from cocommission.agreements.services.variation_emails import email_variation_proposed
from cocommission.agreements.services.variation_rules import Proposal
from cocommission.agreements.services.variations import approve_variation, propose_variation

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(icb, org_a):
    return AgreementFactory.create(funder=icb, provider=org_a, signed=True)


def test_the_providers_people_hear_of_the_funders_proposal_and_nobody_else(
    signed, sid, alice, bob, charlie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        variation = propose_variation(
            actor=sid,
            agreement=signed,
            kind="scope",
            reason="A Saturday session for families.",
            proposal=Proposal(new_scope="Weekly groups, and a Saturday session for families."),
        )
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.org", "bob@example.org"]
    message = mail.outbox[0]
    assert message.subject == f"Variation {variation.number} to {signed.reference} is waiting for your approval"
    assert f"/agreements/{signed.pk}/variations/{variation.pk}/" in message.body


def test_the_funders_people_hear_of_the_providers_proposal(signed, sid, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        propose_variation(
            actor=alice,
            agreement=signed,
            kind="value",
            reason="More families than planned.",
            proposal=Proposal(new_value=Decimal("99000")),
        )
    assert [message.to for message in mail.outbox] == [["sid@example.org"]]


def test_nothing_is_sent_once_the_variation_no_longer_waits(signed, sid, alice):
    variation = propose_variation(
        actor=sid,
        agreement=signed,
        kind="scope",
        reason="A Saturday session for families.",
        proposal=Proposal(new_scope="Weekly groups, and a Saturday session for families."),
    )
    approve_variation(actor=alice, variation=variation)
    mail.outbox.clear()
    assert email_variation_proposed(variation_id=variation.pk) == 0
    assert mail.outbox == []
