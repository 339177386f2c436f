"""Writes for community stories: telling one, moderating it, and erasing it when it is withdrawn.

The audit trail never holds a story's words: its entries name the story by number and record
only its status and consents, so erasing the row erases the story everywhere.
"""

import datetime
import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.models import AuditEvent
from cocommission.partnerships.models import Partnership

from .. import anonymise
from ..models import Story, Theme
from ..permissions import withdrawal_key_hash
from ..selectors.stories import place_names_for

logger = logging.getLogger(__name__)

HOURLY_LIMIT = 3
DAILY_LIMIT = 10
MAX_OTHER_THEMES = 5
THEME_LENGTH = 80  # Theme.name's max_length
CONSENT_REQUIRED = "Tick the box to agree your story can be shared with the partnership"
NO_LINKS = "Remove web addresses: stories cannot include links"


class TooManyStories(ValidationError):
    """Refused because one network address sent too many stories (the page answers 429)."""


@dataclass(frozen=True)
class StoryDetails:
    """What a storyteller fills in, on the members' form and the public one alike."""

    title: str
    text: str
    place: str = ""
    population_group: str = ""
    themes: Sequence[Theme] = field(default_factory=tuple)
    other_themes: str = ""
    consent_partnership: bool = False
    consent_public: bool = False
    consent_reports: bool = False


@dataclass(frozen=True)
class PublicStoryTold:
    story: Story
    withdrawal_key: str  # shown once and emailed; only its hash is kept


def network_key(address: str) -> str:
    """A keyed hash of a network address, so rate limiting needs no addresses stored.

    An IPv6 household gets a whole /64, so the limit counts the /64 rather than each address in it.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        ip = None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    elif isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        address = str(ip.ipv4_mapped)
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _label(story: Story) -> str:
    return f"Story {story.pk}"


def _record(actor: User | None, action: str, story: Story, changes: dict[str, list[object]]) -> None:
    audit.record(
        actor=actor,
        action=action,
        instance=story,
        changes=changes,
        partnership_id=story.partnership_id,
        label=_label(story),
    )


def _check_details(details: StoryDetails, *, public: bool) -> None:
    errors: dict[str, str] = {}
    if not details.title.strip():
        errors["title"] = "Enter a title for your story"
    if not details.text.strip():
        errors["text"] = "Enter your story"
    if public:
        for name in ("title", "text", "place", "population_group", "other_themes"):
            if name not in errors and anonymise.contains_link(getattr(details, name)):
                errors[name] = NO_LINKS
    if not details.consent_partnership:
        errors["consent_partnership"] = CONSENT_REQUIRED
    if errors:
        raise ValidationError(errors)


def _other_theme_names(other_themes: str) -> list[str]:
    names: dict[str, str] = {}
    for raw in other_themes.split(","):
        name = re.sub(r"\s+", " ", raw).strip()
        if name:
            names.setdefault(name.lower(), name[0].upper() + name[1:])
    if len(names) > MAX_OTHER_THEMES:
        raise ValidationError({"other_themes": f"Enter up to {MAX_OTHER_THEMES} other themes"})
    if any(len(name) > THEME_LENGTH for name in names.values()):
        raise ValidationError({"other_themes": "Each theme must be 80 characters or fewer"})
    return list(names.values())


def _themes(actor: User | None, details: StoryDetails, partnership: Partnership) -> list[Theme]:
    themes = list(details.themes)
    for name in _other_theme_names(details.other_themes):
        theme = Theme.objects.filter(name__iexact=name).first()
        if theme is None:
            theme, created = Theme.objects.get_or_create(name=name)
            if created:
                audit.record_create(actor=actor, instance=theme, partnership_id=partnership.pk)
        themes.append(theme)
    return themes


def _create(
    *, actor: User | None, partnership: Partnership, details: StoryDetails, themes: list[Theme], **fields: Any
) -> Story:
    story = Story.objects.create(
        partnership=partnership,
        title=details.title.strip(),
        text=details.text.strip(),
        place=details.place.strip(),
        population_group=details.population_group.strip(),
        consent_partnership=details.consent_partnership,
        consent_public=details.consent_public,
        consent_reports=details.consent_reports,
        **fields,
    )
    story.themes.set(themes)
    _record(
        actor,
        AuditEvent.Action.CREATE,
        story,
        {
            "source": [None, story.source],
            "status": [None, story.status],
            "consent_partnership": [None, story.consent_partnership],
            "consent_public": [None, story.consent_public],
            "consent_reports": [None, story.consent_reports],
        },
    )
    return story


@transaction.atomic
def tell_member_story(*, actor: User, partnership: Partnership, details: StoryDetails) -> Story:
    """A partnership member's story, waiting for a moderator. Refused without consent to share it
    with the partnership."""
    _check_details(details, public=False)
    return _create(
        actor=actor,
        partnership=partnership,
        details=details,
        themes=_themes(actor, details, partnership),
        source=Story.Source.MEMBER,
        submitted_by=actor,
    )


def _serialise(key: str) -> None:
    """Hold a lock on this network key until the transaction ends, so two stories sent at the same
    moment from one address are counted one after the other rather than both slipping under the
    limit. PostgreSQL takes an advisory lock; SQLite's write transactions already run one at a
    time (they begin IMMEDIATE, see settings)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(key[:15], 16)])


def _check_rate(key: str, now: datetime.datetime) -> None:
    recent = Story.objects.filter(submitter_key=key, created_at__gte=now - datetime.timedelta(days=1))
    if recent.filter(created_at__gte=now - datetime.timedelta(hours=1)).count() >= HOURLY_LIMIT:
        raise TooManyStories(
            f"You have sent {HOURLY_LIMIT} stories in the last hour, which is as many as we can take "
            "from one connection. Try again in an hour"
        )
    if recent.count() >= DAILY_LIMIT:
        raise TooManyStories(
            f"You have sent {DAILY_LIMIT} stories today, which is as many as we can take from one "
            "connection. Try again tomorrow"
        )


@transaction.atomic
def tell_public_story(
    *,
    partnership: Partnership,
    details: StoryDetails,
    contact_email: str = "",
    network_address: str = "",
    base_url: str = "",
) -> PublicStoryTold:
    """A story from a member of the public, waiting for a moderator.

    Refused without consent, with a web address in it, or when the same network address has sent
    3 stories in the last hour or 10 in the last day. Returns the story and the key of its
    withdrawal link, which is emailed to the storyteller when they gave an address.
    """
    key = network_key(network_address)
    _serialise(key)
    _check_rate(key, timezone.now())
    _check_details(details, public=True)
    withdrawal_key = secrets.token_urlsafe(24)
    story = _create(
        actor=None,
        partnership=partnership,
        details=details,
        themes=_themes(None, details, partnership),
        source=Story.Source.PUBLIC,
        contact_email=contact_email.strip(),
        submitter_key=key,
        withdrawal_key_hash=withdrawal_key_hash(withdrawal_key),
    )
    if story.contact_email:
        link = withdrawal_link(withdrawal_key, base_url=base_url)
        # Sent here rather than from a queued task: a task's arguments are stored, and the key
        # must not be kept anywhere but in the storyteller's hands.
        transaction.on_commit(lambda: _send_withdrawal_link(story.contact_email, link, partnership))
    return PublicStoryTold(story=story, withdrawal_key=withdrawal_key)


def withdrawal_link(key: str, *, base_url: str = "") -> str:
    root = (base_url or settings.SITE_URL).rstrip("/")
    return root + reverse("needs:story_public_withdraw", kwargs={"key": key})


def _send_withdrawal_link(email: str, link: str, partnership: Partnership) -> None:
    context = {"link": link, "partnership": partnership, "service_name": settings.SERVICE_NAME}
    try:
        send_mail(
            subject=render_to_string("needs/story_withdrawal_email_subject.txt", context).strip(),
            message=render_to_string("needs/story_withdrawal_email.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    except OSError:
        # The story is saved and the link was shown on the page; a mail server that is down must
        # not turn that into an error page.
        logger.exception("Could not email a story's withdrawal link")


# --- Moderation ------------------------------------------------------------------------------------


def _lock(story: Story) -> Story:
    locked = Story.objects.select_for_update().filter(pk=story.pk).first()
    if locked is None:
        raise ValidationError("This story has been withdrawn by the person who told it.")
    return locked


def _quoted(findings: list[anonymise.Finding]) -> str:
    return ", ".join(f"“{f.text}”" for f in findings)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


ARTICLES = {
    anonymise.Kind.EMAIL: "an email address",
    anonymise.Kind.PHONE: "a phone number",
    anonymise.Kind.POSTCODE: "a postcode",
    anonymise.Kind.ADDRESS: "an address",
}


def _refusals(label: str, value: str, places: list[str], *, names_checked: bool, check_names: bool) -> str | None:
    found = anonymise.find_personal_details(value, place_names=places)
    refused = anonymise.refused(found)
    if refused:
        kinds = list(dict.fromkeys(f.kind for f in refused))
        return (
            f"The {label} still has {_and([ARTICLES[k] for k in kinds])} in it: {_quoted(refused)}. "
            f"Replace {'it' if len(refused) == 1 else 'them'} with {_and([k.value.join('[]') for k in kinds])}"
        )
    names = anonymise.names(found)
    if check_names and names and not names_checked:
        return (
            f"The {label} still has words that look like people’s names: {_quoted(names)}. Replace them "
            "with [name], or tick the box to confirm they are not people’s names"
        )
    return None


@transaction.atomic
def publish_story(
    *,
    actor: User,
    story: Story,
    title: str,
    text: str,
    place: str = "",
    population_group: str = "",
    names_checked: bool = False,
) -> Story:
    """Publish the anonymised title and text for the partnership's members (and, with consent,
    the public). Refused while an email address, phone number, postcode or house address remains,
    or a word that looks like a name unless the moderator confirms it is not one."""
    story = _lock(story)
    if story.status == Story.Status.PUBLISHED:
        raise ValidationError("This story has already been published.")
    values = {
        "published_title": title.strip(),
        "published_text": text.strip(),
        "place": place.strip(),
        "population_group": population_group.strip(),
    }
    labels = {"published_title": "title", "published_text": "story", "place": "place", "population_group": "group"}
    errors: dict[str, str] = {}
    if not values["published_title"]:
        errors["published_title"] = "Enter the title to publish"
    if not values["published_text"]:
        errors["published_text"] = "Enter the story to publish"
    places = [*place_names_for(story.partnership), values["place"]]
    for name, value in values.items():
        problem = _refusals(
            labels[name],
            value,
            places,
            names_checked=names_checked,
            check_names=name in ("published_title", "published_text"),
        )
        if problem and name not in errors:
            errors[name] = problem
    if errors:
        raise ValidationError(errors)
    before = story.status
    for name, value in values.items():
        setattr(story, name, value)
    story.status = Story.Status.PUBLISHED
    story.moderated_by = actor
    story.moderated_at = timezone.now()
    story.moderation_note = ""
    story.save()
    _record(actor, AuditEvent.Action.UPDATE, story, {"status": [before, story.status]})
    return story


@transaction.atomic
def decline_story(*, actor: User, story: Story, note: str) -> Story:
    """Decide not to publish a waiting story, saying why (for the storyteller and other moderators)."""
    story = _lock(story)
    if story.status != Story.Status.SUBMITTED:
        raise ValidationError("Only a story waiting for moderation can be declined.")
    if not note.strip():
        raise ValidationError({"note": "Enter why the story is not being published"})
    story.status = Story.Status.DECLINED
    story.moderation_note = note.strip()
    story.moderated_by = actor
    story.moderated_at = timezone.now()
    story.save()
    _record(actor, AuditEvent.Action.UPDATE, story, {"status": [Story.Status.SUBMITTED, story.status]})
    return story


@transaction.atomic
def erase_story(*, actor: User | None, story: Story) -> None:
    """Withdraw a story at its teller's request: the row is deleted, with its words, consents and
    contact address. The audit trail records that a story was erased, not what it said."""
    story = _lock(story)
    _record(actor, AuditEvent.Action.DELETE, story, {"status": [story.status, "withdrawn and erased"]})
    story.delete()
