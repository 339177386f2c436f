"""Applications: starting one, saving the draft within the word limits, submitting once,
withdrawing and reopening before the closing time.

Every rule is checked here, so the web pages, an API and commands refuse the same things with
the same words. Times are the server's: a page left open past the closing time cannot submit.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.templatetags.money import format_gbp
from cocommission.core.versioning import ensure_unchanged
from cocommission.organisations.models import Interaction, Membership, Organisation, PassportDocument
from cocommission.organisations.services.timeline import record_interaction
from cocommission.partnerships.models import PartnershipOrganisation

from ..models import Answer, Application, Consortium, ConsortiumMember, Opportunity
from ..permissions import can_change_application
from ..proportionality import count_words
from ..routes import CONSORTIUM_ONLY, State
from .application_rules import (
    Errors,
    add_error,
    amount_errors,
    closed_message,
    eligibility_problems,
    govuk_time,
    is_past_closing,
    submission_problems,
    word_limit_errors,
)

ALLIANCE_NEEDS_CONSORTIUM = (
    "An alliance only takes applications from a consortium. Select that you are applying as a consortium"
)


class AlreadyApplied(ValidationError):
    """The organisation has an application for this opportunity already: the page links to it."""

    def __init__(self, application: Application) -> None:
        self.application = application
        super().__init__(
            {"organisation": [f"{application.organisation.name} has already started an application: continue it"]}
        )


class AlreadySubmitted(ValidationError):
    """A second submit (a double click, a resent form): nothing changes, nothing is duplicated."""

    def __init__(self, application: Application) -> None:
        self.application = application
        super().__init__("This application has already been submitted")


# Reading the rules


def is_member(user: User, organisation_id: int) -> bool:
    return Membership.objects.filter(user=user, organisation_id=organisation_id).exists()


def refuse_unless_can_change(actor: User, application: Application) -> None:
    if not can_change_application(actor, application):
        raise ValidationError(f"Only members of {application.organisation.name} can change this application")


def lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("opportunity", "organisation", "consortium")
        .get(pk=application.pk)
    )


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


# Starting an application


@transaction.atomic
def start_application(
    *,
    actor: User,
    opportunity: Opportunity,
    organisation: Organisation,
    as_consortium: bool = False,
    consortium_name: str = "",
    now: datetime.datetime | None = None,
) -> Application:
    """Start a draft application from `organisation` (which `actor` belongs to).

    Refused when the opportunity takes no open applications, is not open, the organisation is
    not eligible or has applied already (AlreadyApplied, which names the application), or an
    alliance is asked for by one organisation alone. A consortium application starts with the
    organisation as its first, confirmed member; others are invited later.
    """
    now = now or timezone.now()
    if not is_member(actor, organisation.pk):
        raise ValidationError({"organisation": "Select an organisation you belong to"})
    closed = closed_message(opportunity, now=now, doing="started")
    if closed:
        raise ValidationError(closed)
    existing = Application.objects.filter(opportunity=opportunity, organisation=organisation).first()
    if existing is not None:
        raise AlreadyApplied(existing)
    problems = eligibility_problems(opportunity, organisation)
    if problems:
        raise ValidationError({"organisation": problems})
    consortium_name = consortium_name.strip()
    if opportunity.route in CONSORTIUM_ONLY and not as_consortium:
        raise ValidationError({"as_consortium": ALLIANCE_NEEDS_CONSORTIUM})
    if as_consortium and not consortium_name:
        raise ValidationError({"consortium_name": "Enter a name for the consortium"})
    if len(consortium_name) > 200:
        raise ValidationError({"consortium_name": "Consortium name must be 200 characters or fewer"})

    consortium = None
    if as_consortium:
        consortium = Consortium.objects.create(name=consortium_name, created_by=actor)
        audit.record_create(actor=actor, instance=consortium, organisation_id=organisation.pk)
        founder = ConsortiumMember.objects.create(
            consortium=consortium,
            organisation=organisation,
            status=ConsortiumMember.Status.CONFIRMED,
            responded_at=now,
        )
        audit.record_create(actor=actor, instance=founder, organisation_id=organisation.pk)
    try:
        # A savepoint, so a simultaneous start from a colleague ends in the same clear refusal.
        with transaction.atomic():
            application = Application.objects.create(
                opportunity=opportunity, organisation=organisation, consortium=consortium, created_by=actor
            )
    except IntegrityError:
        raise AlreadyApplied(Application.objects.get(opportunity=opportunity, organisation=organisation)) from None
    audit.record_create(actor=actor, instance=application, organisation_id=organisation.pk)
    return application


# Saving the draft


@transaction.atomic
def save_draft(
    *,
    actor: User,
    application: Application,
    amount_requested: Decimal | None,
    summary: str,
    answers: dict[int, str],
    version: str | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """Save the draft: the amount, the summary and the answers (keyed by question id).

    Refused, with nothing saved, when an answer or the total is over its word limit, the amount
    is over the most one award can be, the application is no longer a draft, the closing time
    has passed, or someone saved it since the form was shown (`version`).
    """
    now = now or timezone.now()
    locked = lock_application(application)
    refuse_unless_can_change(actor, locked)
    if locked.status != Application.Status.DRAFT:
        raise ValidationError(f"This application is {locked.get_status_display().lower()}, so it cannot be changed")
    closed = closed_message(locked.opportunity, now=now, doing="changed")
    if closed:
        raise ValidationError(closed)
    ensure_unchanged(locked, version)
    summary = summary.strip()
    errors = {**word_limit_errors(locked.opportunity, answers), **amount_errors(locked.opportunity, amount_requested)}
    if len(summary) > 300:
        add_error(errors, "summary", "Summary must be 300 characters or fewer")
    _raise(errors)

    existing = {answer.question_id: answer for answer in locked.answers.select_for_update()}
    total = 0
    for question in locked.opportunity.questions.all():
        text = answers.get(question.pk)
        answer = existing.get(question.pk)
        if text is None:
            total += answer.word_count if answer else 0
            continue
        text = text.strip()
        words = count_words(text)
        total += words
        if answer is None:
            if text:
                answer = Answer.objects.create(application=locked, question=question, text=text, word_count=words)
                audit.record_create(actor=actor, instance=answer, organisation_id=locked.organisation_id)
        elif answer.text != text:
            before = audit.snapshot(answer, ["text", "word_count"])
            answer.text, answer.word_count = text, words
            answer.save(update_fields=["text", "word_count", "updated_at"])
            audit.record_update(actor=actor, instance=answer, before=before, organisation_id=locked.organisation_id)

    before = audit.snapshot(locked, ["amount_requested", "summary", "total_words"])
    locked.amount_requested = amount_requested
    locked.summary = summary
    locked.total_words = total
    locked.save()
    audit.record_update(actor=actor, instance=locked, before=before, organisation_id=locked.organisation_id)
    return locked


# Submitting


def _applicant_organisations(application: Application) -> list[Organisation]:
    """The organisations applying: the starting one, and every confirmed consortium member."""
    organisations = [application.organisation]
    if application.consortium_id is not None:
        organisations += [
            member.organisation
            for member in ConsortiumMember.objects.filter(
                consortium_id=application.consortium_id, status=ConsortiumMember.Status.CONFIRMED
            )
            .exclude(organisation_id=application.organisation_id)
            .select_related("organisation")
        ]
    return organisations


def _record_on_timelines(actor: User, application: Application, organisations: list[Organisation]) -> None:
    opportunity = application.opportunity
    funder = opportunity.funder
    amount = format_gbp(application.amount_requested)
    seated: set[int] = set()
    if opportunity.partnership_id is not None:
        seated = set(
            PartnershipOrganisation.objects.filter(partnership_id=opportunity.partnership_id).values_list(
                "organisation_id", flat=True
            )
        )
    for organisation in organisations:
        if organisation.pk == funder.pk:
            continue
        together = f" as part of {application.consortium.name}" if application.consortium else ""
        shared = {organisation.pk, funder.pk} <= seated
        record_interaction(
            actor=actor,
            organisation=organisation,
            other=funder,
            kind=Interaction.Kind.APPLICATION,
            occurred_on=timezone.localdate(),
            summary=f"Applied{together} for {amount} from {opportunity.reference} {opportunity.title}",
            partnership=opportunity.partnership if shared else None,
        )


@transaction.atomic
def submit_application(*, actor: User, application: Application, now: datetime.datetime | None = None) -> Application:
    """Submit the saved draft, once.

    The row is locked, so two submits at once end with one submission: the second raises
    AlreadySubmitted and changes nothing. Refused (the draft kept as it is) when anything in
    `submission_problems` stands, including a closing time that has passed. On success the
    current passport documents of every applying organisation are attached as they stand now,
    and each applying organisation's timeline with the funder records the application.
    """
    now = now or timezone.now()
    locked = lock_application(application)
    if locked.status == Application.Status.SUBMITTED:
        raise AlreadySubmitted(locked)
    refuse_unless_can_change(actor, locked)
    if locked.status == Application.Status.WITHDRAWN:
        raise ValidationError("This application has been withdrawn. Reopen it before you submit it")
    _raise(submission_problems(locked, now=now))

    organisations = _applicant_organisations(locked)
    before = audit.snapshot(locked, ["status", "submitted_at", "submitted_by", "total_words"])
    locked.status = Application.Status.SUBMITTED
    locked.submitted_at = now
    locked.submitted_by = actor
    locked.total_words = sum(answer.word_count for answer in locked.answers.all())
    locked.save()
    locked.passport_documents.set(
        PassportDocument.objects.filter(organisation__in=organisations, is_current=True).order_by("pk")
    )
    audit.record_update(actor=actor, instance=locked, before=before, organisation_id=locked.organisation_id)
    _record_on_timelines(actor, locked, organisations)
    return locked


# Withdrawing and reopening


@transaction.atomic
def withdraw_application(*, actor: User, application: Application, now: datetime.datetime | None = None) -> Application:
    """Withdraw a draft or submitted application before the closing time.

    A withdrawn application is no longer submitted: the funder and panel stop seeing it. It
    can be reopened as a draft until the closing time.
    """
    now = now or timezone.now()
    locked = lock_application(application)
    refuse_unless_can_change(actor, locked)
    if locked.status == Application.Status.WITHDRAWN:
        raise ValidationError("This application has already been withdrawn")
    if locked.opportunity.closes_at is not None and is_past_closing(locked.opportunity, now=now):
        raise ValidationError(
            f"The closing time was {govuk_time(locked.opportunity.closes_at)}. "
            "Applications can no longer be withdrawn. Contact the funder if you cannot go ahead"
        )
    if locked.opportunity.state not in (State.OPEN,):
        raise ValidationError("This opportunity has closed. Applications can no longer be withdrawn")
    before = audit.snapshot(locked, ["status", "submitted_at", "submitted_by"])
    locked.status = Application.Status.WITHDRAWN
    locked.submitted_at = None
    locked.submitted_by = None
    locked.save()
    audit.record_update(actor=actor, instance=locked, before=before, organisation_id=locked.organisation_id)
    return locked


@transaction.atomic
def reopen_application(*, actor: User, application: Application, now: datetime.datetime | None = None) -> Application:
    """Make a withdrawn application a draft again, while the opportunity is open."""
    now = now or timezone.now()
    locked = lock_application(application)
    refuse_unless_can_change(actor, locked)
    if locked.status != Application.Status.WITHDRAWN:
        raise ValidationError("Only a withdrawn application can be reopened")
    closed = closed_message(locked.opportunity, now=now, doing="reopened")
    if closed:
        raise ValidationError(closed)
    before = audit.snapshot(locked, ["status"])
    locked.status = Application.Status.DRAFT
    locked.save()
    audit.record_update(actor=actor, instance=locked, before=before, organisation_id=locked.organisation_id)
    return locked


def answers_by_question(application: Application) -> dict[int, str]:
    """The saved answers keyed by question id (what the draft form starts from)."""
    return {answer.question_id: answer.text for answer in application.answers.all()}
