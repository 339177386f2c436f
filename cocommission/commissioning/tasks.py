"""Background work for commissioning: emails go out after the transaction that caused them commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from cocommission.accounts.models import User

from .models import ApplicationDecision
from .permissions import applicant_organisation_ids


@task()
def send_decision_email(*, decision_id: int, base_url: str = "") -> int:
    """Tell every member of the applicant organisations that the decision is made, with a link
    to the feedback. Returns how many people were emailed (0 when there is nothing to tell)."""
    decision = (
        ApplicationDecision.objects.select_related(
            "application__opportunity__funder", "application__organisation", "application__consortium"
        )
        .filter(pk=decision_id, notified_at__isnull=False)
        .first()
    )
    if decision is None:
        return 0
    application = decision.application
    recipients = sorted(
        set(
            User.objects.filter(
                memberships__organisation_id__in=applicant_organisation_ids(application), is_active=True
            ).values_list("email", flat=True)
        )
    )
    if not recipients:
        return 0
    # Without a request to take the address from (transitions, commands, the demo), SITE_URL.
    root = (base_url or settings.SITE_URL).rstrip("/")
    context = {
        "decision": decision,
        "application": application,
        "opportunity": application.opportunity,
        "link": root + reverse("commissioning:application_feedback", kwargs={"pk": application.pk}),
        "service_name": settings.SERVICE_NAME,
    }
    subject = render_to_string("commissioning/email/decision_feedback_subject.txt", context).strip()
    body = render_to_string("commissioning/email/decision_feedback.txt", context)
    # One message each: applicants from different organisations must not see each other's addresses.
    for email in recipients:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[email])
    return len(recipients)
