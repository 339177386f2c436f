"""What happens when an agreement ends: the funder's renewal decision, and the end-of-funding
warnings sent 9, 6 and 3 months ahead until a decision is recorded.

Warnings go to every member of both parties (for a consortium, every member organisation that
has not declined) and to the coordinators of the agreement's partnership, one email each. Each
warning is an EndingNotice, unique per agreement, lead time and end date, so running the daily
job twice (or two workers at once) sends nothing twice; a variation that moves the end date
starts the warnings again for the new date.
"""

import datetime
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.partnerships.models import PartnershipPerson

from ..models import Agreement, EndingNotice, RenewalDecision
from ..permissions import party_organisation_ids
from ..selectors.changes import add_months
from . import guards
from .timeline import record_agreement_event

# Lead times in months, longest first.
LEAD_TIMES = (9, 6, 3)
REASON_MAX_LENGTH = 2000


def _scopes(agreement: Agreement) -> list[dict[str, int | None]]:
    return [
        {"organisation_id": organisation_id, "partnership_id": agreement.partnership_id}
        for organisation_id in sorted({agreement.funder_id, agreement.provider_id})
    ]


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


@transaction.atomic
def record_renewal_decision(*, actor: User, agreement: Agreement, choice: str, reason: str) -> RenewalDecision:
    """The funder records what happens when the agreement ends: renew, extend, re-commission or
    end. The latest decision counts (earlier ones stay as history) and warnings stop."""
    locked = guards.lock(agreement)
    if locked.status != Agreement.Status.ACTIVE:
        raise ValidationError("A renewal decision can only be recorded for an active agreement.")
    problems = {}
    if choice not in RenewalDecision.Choice.values:
        problems["choice"] = "Select what will happen when the agreement ends"
    reason = reason.strip()
    if not reason:
        problems["reason"] = "Enter the reason for the decision"
    elif len(reason) > REASON_MAX_LENGTH:
        problems["reason"] = f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"
    if problems:
        raise ValidationError(problems)
    decision = RenewalDecision.objects.create(agreement=locked, choice=choice, reason=reason, decided_by=actor)
    for scope in _scopes(locked):
        audit.record_create(actor=actor, instance=decision, **scope)
    shown = reason if len(reason) <= 500 else reason[:499] + "…"
    record_agreement_event(
        actor=actor,
        agreement=locked,
        summary=f"Renewal decision: {decision.get_choice_display().lower()}. {shown}",
    )
    return decision


def lead_time_reached(*, end_date: datetime.date, today: datetime.date) -> int | None:
    """The shortest lead time (9, 6 or 3 months before the end) that today has reached, or None
    when the end is more than 9 months away or already past."""
    if today > end_date:
        return None
    reached = [months for months in LEAD_TIMES if today >= add_months(end_date, -months)]
    return min(reached) if reached else None


@dataclass(frozen=True)
class DueWarning:
    agreement_id: int
    months_before: int
    end_date: datetime.date


def due_warnings(*, today: datetime.date) -> list[DueWarning]:
    """Active agreements with no renewal decision whose latest lead time reached has no warning
    yet for their current end date (nor a later one, sent already)."""
    candidates = (
        Agreement.objects.filter(
            status=Agreement.Status.ACTIVE,
            end_date__gte=today,
            # A month more than the longest lead time: month ends do not add up both ways
            # (31 August less 9 months is 30 November; 30 November plus 9 months is 30 August).
            end_date__lte=add_months(today, LEAD_TIMES[0] + 1),
        )
        .exclude(Exists(RenewalDecision.objects.filter(agreement=OuterRef("pk"))))
        .values_list("pk", "end_date")
        .order_by("end_date", "pk")
    )
    rows = [(pk, end) for pk, end in candidates if end is not None]
    sent: dict[tuple[int, datetime.date], int] = {}
    notices = EndingNotice.objects.filter(agreement_id__in=[pk for pk, _ in rows])
    for agreement_id, notice_end, sent_months in notices.values_list("agreement_id", "end_date", "months_before"):
        key = (agreement_id, notice_end)
        sent[key] = min(sent_months, sent.get(key, sent_months))
    due = []
    for agreement_id, end_date in rows:
        months = lead_time_reached(end_date=end_date, today=today)
        if months is None:
            continue
        shortest_sent = sent.get((agreement_id, end_date))
        if shortest_sent is not None and shortest_sent <= months:
            continue
        due.append(DueWarning(agreement_id, months, end_date))
    return due


def warning_recipients(agreement: Agreement) -> list[tuple[str, bool]]:
    """(email, is a party) for everyone to warn, each once, parties first where both."""
    parties = set(
        User.objects.filter(
            memberships__organisation_id__in=party_organisation_ids(agreement), is_active=True
        ).values_list("email", flat=True)
    )
    coordinators: set[str] = set()
    if agreement.partnership_id is not None:
        coordinators = set(
            PartnershipPerson.objects.filter(
                partnership_id=agreement.partnership_id,
                role=PartnershipPerson.Role.COORDINATOR,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    return [(email, True) for email in sorted(parties)] + [(e, False) for e in sorted(coordinators - parties)]


@transaction.atomic
def send_ending_warning(*, due: DueWarning, today: datetime.date, base_url: str = "") -> EndingNotice | None:
    """Record one warning and email it once the transaction commits. Returns None when, with
    the agreement locked, it is no longer due (a decision, a new end date, another worker)."""
    agreement = guards.lock(Agreement(pk=due.agreement_id))
    if (
        agreement.status != Agreement.Status.ACTIVE
        or agreement.end_date != due.end_date
        or RenewalDecision.objects.filter(agreement=agreement).exists()
        or EndingNotice.objects.filter(
            agreement=agreement, end_date=due.end_date, months_before__lte=due.months_before
        ).exists()
    ):
        return None
    recipients = warning_recipients(agreement)
    try:
        with transaction.atomic():
            notice = EndingNotice.objects.create(
                agreement=agreement,
                months_before=due.months_before,
                end_date=due.end_date,
                sent_on=today,
                recipients=len(recipients),
            )
    except IntegrityError:
        return None  # another run recorded it first
    for scope in _scopes(agreement):
        audit.record_create(actor=None, instance=notice, **scope)
    record_agreement_event(
        actor=None,
        agreement=agreement,
        summary=f"Funding ends on {_long_date(due.end_date)}. The {due.months_before}-month warning was sent "
        "because no renewal decision has been recorded yet.",
    )
    transaction.on_commit(partial(_queue_email, notice_id=notice.pk, base_url=base_url))
    return notice


def _queue_email(*, notice_id: int, base_url: str) -> None:
    # The emails go out from the task worker, like every other email the service sends.
    from ..tasks import email_ending_warning_task

    email_ending_warning_task.enqueue(notice_id=notice_id, base_url=base_url)


def send_ending_warnings(*, today: datetime.date, base_url: str = "") -> list[EndingNotice]:
    """The daily job: send every warning that is due today. Safe to run again the same day."""
    sent = []
    for due in due_warnings(today=today):
        notice = send_ending_warning(due=due, today=today, base_url=base_url)
        if notice is not None:
            sent.append(notice)
    return sent


def email_ending_warning(*, notice_id: int, base_url: str = "") -> int:
    """Email one warning to everyone it is for, one message each (no one sees the others'
    addresses). Returns how many were sent."""
    notice = (
        EndingNotice.objects.select_related("agreement__funder", "agreement__provider", "agreement__consortium")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        return 0
    agreement = notice.agreement
    root = (base_url or settings.SITE_URL).rstrip("/")
    context = {
        "agreement": agreement,
        "notice": notice,
        "end_date": _long_date(notice.end_date),
        "ending_link": root + reverse("agreements:ending_list"),
        "service_name": settings.SERVICE_NAME,
    }
    subject = render_to_string("agreements/email/ending_warning_subject.txt", context).strip()
    recipients = warning_recipients(agreement)
    for email, is_party in recipients:
        link = root + reverse("agreements:detail", kwargs={"pk": agreement.pk}) if is_party else ""
        body = render_to_string("agreements/email/ending_warning.txt", {**context, "link": link, "is_party": is_party})
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[email])
    return len(recipients)
