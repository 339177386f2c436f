"""Telling the other side that a variation is waiting for its approval."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from cocommission.accounts.models import User

from ..models import Variation
from ..permissions import FUNDER, provider_organisation_ids


def waiting_side(variation: Variation) -> str | None:
    """The side whose approval the variation waits for, or None when it waits for nobody."""
    if variation.status != Variation.Status.PROPOSED:
        return None
    if variation.funder_approved_at is None:
        return FUNDER
    if variation.provider_approved_at is None:
        return "provider"
    return None


def email_variation_proposed(*, variation_id: int, base_url: str = "") -> int:
    """Email every member of the side the variation waits for, one message each, with a link to
    approve or reject it. Returns how many were sent (0 when it no longer waits)."""
    variation = (
        Variation.objects.select_related("agreement__funder", "agreement__provider", "agreement__consortium")
        .filter(pk=variation_id)
        .first()
    )
    side = waiting_side(variation) if variation is not None else None
    if variation is None or side is None:
        return 0
    agreement = variation.agreement
    organisations = {agreement.funder_id} if side == FUNDER else provider_organisation_ids(agreement)
    recipients = sorted(
        set(
            User.objects.filter(memberships__organisation_id__in=organisations, is_active=True).values_list(
                "email", flat=True
            )
        )
    )
    root = (base_url or settings.SITE_URL).rstrip("/")
    context = {
        "agreement": agreement,
        "variation": variation,
        "link": root
        + reverse("agreements:variation_detail", kwargs={"pk": agreement.pk, "variation_pk": variation.pk}),
        "service_name": settings.SERVICE_NAME,
    }
    subject = render_to_string("agreements/email/variation_proposed_subject.txt", context).strip()
    body = render_to_string("agreements/email/variation_proposed.txt", context)
    for email in recipients:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[email])
    return len(recipients)
