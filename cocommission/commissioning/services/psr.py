"""Provider Selection Regime notices, standstill and representations.

Publishing the notice of intention to award is what starts standstill: the move to STANDSTILL
(`transitions.move_opportunity`) checks `intention_problems`, then `on_standstill_started`
publishes the notice and sets the end of standstill, 8 working days counted from the day after
publication. A representation received during standstill holds the award until it is answered,
and then for 5 more working days. `award_problems` says what still holds the award.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.dates import add_working_days

from ..models import ApplicationDecision, Opportunity, PsrNotice, Representation
from ..routes import PSR_ROUTES, Route, State, has_standstill
from ..selectors.decisions import decision_record_for, long_date
from ..selectors.psr import (
    HOLD_AFTER_RESPONSE_WORKING_DAYS,
    STANDSTILL_WORKING_DAYS,
    build_notice_content,
    notice_for,
)

Kind = PsrNotice.Kind


def _scope(opportunity: Opportunity) -> dict[str, int | None]:
    return {"organisation_id": opportunity.funder_id, "partnership_id": opportunity.partnership_id}


def intention_problems(opportunity: Opportunity) -> list[str]:
    """What stops the notice of intention to award being published (the move to STANDSTILL)."""
    if not has_standstill(opportunity.route):
        return [f"The {Route(opportunity.route).label} route has no standstill and no notice of intention to award"]
    problems: list[str] = []
    published = notice_for(opportunity, Kind.INTENTION)
    if published is not None:
        published_on = long_date(timezone.localdate(published.published_at))
        problems.append(f"The notice of intention to award was already published on {published_on}")
    record = decision_record_for(opportunity)
    if record is None or record.confirmed_at is None:
        problems.append("Confirm the decision before publishing the notice of intention to award")
    awards = ApplicationDecision.objects.filter(
        application__opportunity=opportunity, outcome=ApplicationDecision.Outcome.AWARD
    )
    if not awards.exists():
        problems.append("The decision awards nothing, so there is no intention to award to publish")
    if opportunity.route in PSR_ROUTES and not opportunity.cpv_code:
        problems.append("Add the CPV code to the opportunity: the notice must include it")
    return problems


def on_standstill_started(opportunity: Opportunity, *, actor: User) -> None:
    """Publish the notice of intention to award, frozen as it reads today, and start standstill."""
    now = timezone.now()
    ends_on = add_working_days(timezone.localdate(now), STANDSTILL_WORKING_DAYS)
    notice = PsrNotice.objects.create(
        opportunity=opportunity,
        kind=Kind.INTENTION,
        published_at=now,
        standstill_ends_on=ends_on,
        content=build_notice_content(opportunity, Kind.INTENTION, published_at=now, standstill_ends_on=ends_on),
    )
    audit.record_create(actor=actor, instance=notice, **_scope(opportunity))


def award_problems(opportunity: Opportunity, *, today: datetime.date) -> list[str]:
    """What holds the award (the move to AWARDED) on a route with standstill: the standstill
    itself, a representation without a response, or the 5 working days after a response."""
    if not has_standstill(opportunity.route):
        return []
    notice = notice_for(opportunity, Kind.INTENTION)
    if notice is None or notice.standstill_ends_on is None:
        return ["Publish the notice of intention to award and wait for the standstill period to end"]
    problems: list[str] = []
    ends = notice.standstill_ends_on
    if today <= ends:
        problems.append(
            f"The standstill period ends on {long_date(ends)}. "
            f"You can award from {long_date(ends + datetime.timedelta(days=1))}."
        )
    for representation in Representation.objects.filter(opportunity=opportunity):
        received = long_date(representation.received_on)
        if representation.responded_on is None:
            problems.append(
                f"The representation from {representation.made_by} received on {received} has no response yet. "
                "Record the response before awarding."
            )
        elif representation.hold_ends_on is not None and today <= representation.hold_ends_on:
            hold = representation.hold_ends_on
            problems.append(
                f"The representation from {representation.made_by} holds the award until {long_date(hold)}, "
                f"5 working days after the response. You can award from {long_date(hold + datetime.timedelta(days=1))}."
            )
    return problems


@transaction.atomic
def publish_award_notice(*, actor: User, opportunity: Opportunity) -> PsrNotice:
    """Publish the notice of award for a Provider Selection Regime route, once awarded.

    Its content is frozen as it reads now. Refused on other routes, before the award, or when
    it is already published.
    """
    locked = Opportunity.objects.select_for_update().select_related("funder").get(pk=opportunity.pk)
    if locked.route not in PSR_ROUTES:
        raise ValidationError("Only Provider Selection Regime routes publish a notice of award")
    if locked.state != State.AWARDED:
        raise ValidationError("Award the contract before publishing the notice of award")
    existing = notice_for(locked, Kind.AWARD)
    if existing is not None:
        raise ValidationError(
            f"The notice of award was already published on {long_date(timezone.localdate(existing.published_at))}"
        )
    now = timezone.now()
    notice = PsrNotice.objects.create(
        opportunity=locked,
        kind=Kind.AWARD,
        published_at=now,
        content=build_notice_content(locked, Kind.AWARD, published_at=now),
    )
    audit.record_create(actor=actor, instance=notice, **_scope(locked))
    return notice


@transaction.atomic
def log_representation(
    *, actor: User, opportunity: Opportunity, received_on: datetime.date, made_by: str, summary: str
) -> Representation:
    """Log a representation received during standstill. It holds the award until answered.

    Raises ValidationError keyed on the form's fields: the date must fall within the standstill
    period (from publication to its last day) and not in the future.
    """
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if locked.state != State.STANDSTILL:
        raise ValidationError("Representations can only be logged while the opportunity is in standstill")
    notice = notice_for(locked, Kind.INTENTION)
    if notice is None or notice.standstill_ends_on is None:
        raise ValidationError("There is no notice of intention to award, so there is no standstill period")
    errors: dict[str, str] = {}
    published_on = timezone.localdate(notice.published_at)
    if received_on > timezone.localdate():
        errors["received_on"] = "The date received must be today or in the past"
    elif received_on < published_on:
        errors["received_on"] = (
            f"The date received must be on or after {long_date(published_on)}, when the notice was published"
        )
    elif received_on > notice.standstill_ends_on:
        errors["received_on"] = (
            f"The standstill period ended on {long_date(notice.standstill_ends_on)}. "
            "A representation received after that does not hold the award"
        )
    if not made_by.strip():
        errors["made_by"] = "Enter who made the representation"
    if not summary.strip():
        errors["summary"] = "Enter a summary of the representation"
    if errors:
        raise ValidationError(errors)
    representation = Representation.objects.create(
        opportunity=locked, received_on=received_on, made_by=made_by.strip(), summary=summary.strip(), logged_by=actor
    )
    audit.record_create(actor=actor, instance=representation, **_scope(locked))
    return representation


@transaction.atomic
def record_response(
    *, actor: User, representation: Representation, response: str, responded_on: datetime.date
) -> Representation:
    """Record the response to a representation: the award stays held for 5 more working days,
    counted from the day after the response."""
    locked = Representation.objects.select_for_update().select_related("opportunity").get(pk=representation.pk)
    if locked.responded_on is not None:
        raise ValidationError(f"A response was already recorded on {long_date(locked.responded_on)}")
    if locked.opportunity.state != State.STANDSTILL:
        raise ValidationError("Responses can only be recorded while the opportunity is in standstill")
    errors: dict[str, str] = {}
    if responded_on > timezone.localdate():
        errors["responded_on"] = "The date of the response must be today or in the past"
    elif responded_on < locked.received_on:
        errors["responded_on"] = (
            f"The date of the response must be on or after {long_date(locked.received_on)}, "
            "when the representation was received"
        )
    if not response.strip():
        errors["response"] = "Enter the response"
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(locked)
    locked.response = response.strip()
    locked.responded_on = responded_on
    locked.hold_ends_on = add_working_days(responded_on, HOLD_AFTER_RESPONSE_WORKING_DAYS)
    locked.save()
    audit.record_update(actor=actor, instance=locked, before=before, **_scope(locked.opportunity))
    return locked
