"""Standstill end to end, on fixed dates around Christmas and Easter: 8 working days from the day
after the notice is published, a representation holding the award, then 5 more working days."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cocommission.agreements.models import Agreement
from cocommission.commissioning.models import PsrNotice
from cocommission.commissioning.routes import State
from cocommission.commissioning.services.decisions import save_decision
from cocommission.commissioning.services.psr import log_representation, record_response
from cocommission.commissioning.services.transitions import move_opportunity
from cocommission.core.dates import working_days_between

from .factories_decisions import award_all, freeze, provider, provider_application, psr_opportunity

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def decided(sid, icb):
    """A Direct Award C for a Shared Lives scheme, decided and ready for its intention notice."""
    opportunity = psr_opportunity("psr_direct_c", funder=icb, named_provider=provider(name="Shared Lives Brackenmoor"))
    application = provider_application(opportunity)
    save_decision(
        actor=sid,
        opportunity=opportunity,
        decision_makers="Sid Shah (ICB)",
        summary="The existing provider meets the key criteria.",
        conflicts_summary="",
        items=award_all([application], Decimal("9500")),
    )
    move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    return opportunity


def _award(actor, opportunity):
    return move_opportunity(actor=actor, opportunity=opportunity, target=State.AWARDED)


def test_standstill_over_christmas_ends_after_eight_working_days(monkeypatch, sid, decided):
    # Published Tuesday 22 December 2026: 23, 24, 29, 30, 31 December, 4, 5, 6 January count;
    # 25, 28 (Boxing Day substitute) December and 1 January are bank holidays.
    freeze(monkeypatch, D(2026, 12, 22))
    move_opportunity(actor=sid, opportunity=decided, target=State.STANDSTILL)
    notice = PsrNotice.objects.get(opportunity=decided)
    assert notice.standstill_ends_on == D(2027, 1, 6)
    assert notice.content["standstill"]["ends_on"] == "2027-01-06"
    assert working_days_between(D(2026, 12, 22), notice.standstill_ends_on) == 8

    freeze(monkeypatch, D(2027, 1, 6))
    with pytest.raises(ValidationError) as exc:
        _award(sid, decided)
    assert exc.value.messages == ["The standstill period ends on 6 January 2027. You can award from 7 January 2027."]
    assert not Agreement.objects.exists()

    freeze(monkeypatch, D(2027, 1, 7))
    assert _award(sid, decided).state == State.AWARDED
    assert Agreement.objects.count() == 1


def test_standstill_over_easter_skips_good_friday_and_easter_monday(monkeypatch, sid, decided):
    # Published Thursday 18 March 2027; Good Friday is 26 March and Easter Monday 29 March.
    freeze(monkeypatch, D(2027, 3, 18))
    move_opportunity(actor=sid, opportunity=decided, target=State.STANDSTILL)
    assert PsrNotice.objects.get(opportunity=decided).standstill_ends_on == D(2027, 4, 1)


def test_a_representation_holds_the_award_until_five_working_days_after_the_response(monkeypatch, sid, decided):
    freeze(monkeypatch, D(2026, 12, 22))
    move_opportunity(actor=sid, opportunity=decided, target=State.STANDSTILL)

    freeze(monkeypatch, D(2027, 1, 4))
    representation = log_representation(
        actor=sid,
        opportunity=decided,
        received_on=D(2027, 1, 4),
        made_by="Valley Care Ltd",
        summary="The provider was not compared with others.",
    )

    # Standstill is over, but the representation has no response.
    freeze(monkeypatch, D(2027, 1, 7))
    with pytest.raises(ValidationError) as exc:
        _award(sid, decided)
    assert exc.value.messages == [
        "The representation from Valley Care Ltd received on 4 January 2027 has no response yet. "
        "Record the response before awarding."
    ]

    # Responded on Friday 8 January: 11, 12, 13, 14, 15 January are the 5 working days.
    freeze(monkeypatch, D(2027, 1, 8))
    answered = record_response(
        actor=sid, representation=representation, response="Direct Award C applies.", responded_on=D(2027, 1, 8)
    )
    assert answered.hold_ends_on == D(2027, 1, 15)

    freeze(monkeypatch, D(2027, 1, 15))
    with pytest.raises(ValidationError, match="holds the award until 15 January 2027"):
        _award(sid, decided)

    freeze(monkeypatch, D(2027, 1, 18))
    assert _award(sid, decided).state == State.AWARDED


def test_a_response_over_easter_holds_the_award_past_the_bank_holidays(monkeypatch, sid, decided):
    freeze(monkeypatch, D(2027, 3, 18))
    move_opportunity(actor=sid, opportunity=decided, target=State.STANDSTILL)
    freeze(monkeypatch, D(2027, 3, 24))
    representation = log_representation(
        actor=sid, opportunity=decided, received_on=D(2027, 3, 23), made_by="A carer", summary="Concern"
    )
    # Wednesday 24 March: 25 March, then 30 and 31 March, 1 and 2 April (26 and 29 March are bank holidays).
    answered = record_response(actor=sid, representation=representation, response="Noted.", responded_on=D(2027, 3, 24))
    assert answered.hold_ends_on == D(2027, 4, 2)
