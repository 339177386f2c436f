"""Background work for organisations: emails go out after the transaction that caused them commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from .models import Invitation


@task()
def send_invitation_email(*, invitation_id: int, base_url: str = "") -> bool:
    """Email an invitation link. Returns False when the invitation is no longer waiting for a reply."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return False
    # Without a request to take the address from (commands, the demo), SITE_URL.
    root = (base_url or settings.SITE_URL).rstrip("/")
    link = root + reverse("organisations:accept_invitation", kwargs={"token": invitation.token})
    inviter = invitation.invited_by.get_full_name()
    organisation = invitation.organisation.name
    role = invitation.get_role_display().lower()
    body = (
        f"{inviter} has invited you to join {organisation} on {settings.SERVICE_NAME} as {_article(role)} {role}.\n\n"
        f"To accept, sign in or create an account with this email address, then open this link:\n{link}\n\n"
        f"The link works until {invitation.expires_at:%d %B %Y}.\n\n"
        "If you were not expecting this invitation, you can ignore this email."
    )
    send_mail(
        subject=f"You are invited to join {organisation} on {settings.SERVICE_NAME}",
        message=body,
        from_email=None,
        recipient_list=[invitation.email],
    )
    return True


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
