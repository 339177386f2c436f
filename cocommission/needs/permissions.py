"""The only door to stories, indicators, priorities and policies.

Everything here belongs to a partnership; load the partnership first with
`partnerships.permissions.access_partnership` (which hides it from outsiders with a 404), then
the object through these helpers, which never return another partnership's object.

Who may do what:
- members (the partnership's people and members of its member organisations) read published
  stories, indicators, priorities and policies, submit stories and propose priorities;
- coordinators moderate stories, import indicators, agree and retire priorities, keep the
  policy watch; platform admins may also import indicators;
- a storyteller may withdraw their own story (signed in, or with the link they were given).
"""

import hashlib
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cocommission.accounts.models import User
from cocommission.organisations.permissions import is_platform_admin
from cocommission.partnerships.models import Partnership, PartnershipPerson
from cocommission.partnerships.permissions import can_see, role_in

from .models import Indicator, IndicatorImport, Policy, Priority, Story


class NeedsAction(StrEnum):
    VIEW = "view"
    MANAGE = "manage"  # coordinators


def is_coordinator(user: User, partnership: Partnership) -> bool:
    return role_in(user, partnership) == PartnershipPerson.Role.COORDINATOR


def _check(user: User, partnership: Partnership, action: NeedsAction | str) -> None:
    if not can_see(user, partnership):
        raise Http404("Not found.")
    if NeedsAction(action) == NeedsAction.MANAGE and not is_coordinator(user, partnership):
        raise PermissionDenied


def access_story(*, user: User, partnership: Partnership, pk: int, action: NeedsAction | str = "view") -> Story:
    """A published story for members; any story for its moderators (the coordinators). The
    storyteller also sees their own story while it waits."""
    if not can_see(user, partnership):
        raise Http404("No such story.")
    story = Story.objects.filter(pk=pk, partnership=partnership).first()
    if story is None:
        raise Http404("No such story.")
    coordinator = is_coordinator(user, partnership)
    if NeedsAction(action) == NeedsAction.MANAGE:
        if not coordinator:
            raise PermissionDenied
        return story
    own = story.submitted_by_id is not None and story.submitted_by_id == user.pk
    if story.status != Story.Status.PUBLISHED and not (coordinator or own):
        raise Http404("No such story.")
    return story


def access_own_story(*, user: User, pk: int) -> Story:
    """A story the signed-in person told, for them to withdraw."""
    story = Story.objects.filter(pk=pk, submitted_by=user).first() if user.is_authenticated else None
    if story is None:
        raise Http404("No such story.")
    return story


def withdrawal_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def access_story_by_withdrawal_key(*, key: str) -> Story:
    """The story a public storyteller's withdrawal link is for."""
    story = Story.objects.filter(withdrawal_key_hash=withdrawal_key_hash(key)).first() if key else None
    if story is None:
        raise Http404("No such story.")
    return story


def access_indicator(*, user: User, partnership: Partnership, slug: str) -> Indicator:
    _check(user, partnership, NeedsAction.VIEW)
    indicator = Indicator.objects.filter(partnership=partnership, slug=slug).first()
    if indicator is None:
        raise Http404("No such indicator.")
    return indicator


def can_import(user: User, partnership: Partnership) -> bool:
    return is_coordinator(user, partnership) or is_platform_admin(user)


def ensure_can_import(user: User, partnership: Partnership) -> None:
    if not can_see(user, partnership):
        raise Http404("Not found.")
    if not can_import(user, partnership):
        raise PermissionDenied


def access_indicator_import(*, user: User, partnership: Partnership, pk: int) -> IndicatorImport:
    ensure_can_import(user, partnership)
    found = IndicatorImport.objects.filter(partnership=partnership, pk=pk).first()
    if found is None:
        raise Http404("No such import.")
    return found


def access_priority(*, user: User, partnership: Partnership, pk: int, action: NeedsAction | str = "view") -> Priority:
    _check(user, partnership, action)
    priority = Priority.objects.filter(partnership=partnership, pk=pk).first()
    if priority is None:
        raise Http404("No such priority.")
    return priority


def access_policy(*, user: User, partnership: Partnership, pk: int, action: NeedsAction | str = "view") -> Policy:
    _check(user, partnership, action)
    policy = Policy.objects.filter(partnership=partnership, pk=pk).first()
    if policy is None:
        raise Http404("No such policy.")
    return policy


def ensure_member(user: User, partnership: Partnership) -> None:
    """For writes any member may make (submitting a story, proposing a priority)."""
    _check(user, partnership, NeedsAction.VIEW)


def ensure_coordinator(user: User, partnership: Partnership) -> None:
    _check(user, partnership, NeedsAction.MANAGE)


# --- Stories: the public pages -------------------------------------------------------------------
# Anyone may tell a partnership a story and read the stories it published for public pages. These
# pages show the partnership's name and place only; its members stay hidden.


def public_story_partnership(*, slug: str) -> Partnership:
    """The partnership a member of the public tells their story to, or whose public stories they read."""
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise Http404("No such partnership.")
    return partnership


def access_public_story(*, partnership: Partnership, pk: int) -> Story:
    """A story published with the storyteller's consent to public pages."""
    story = Story.objects.filter(
        pk=pk, partnership=partnership, status=Story.Status.PUBLISHED, consent_public=True
    ).first()
    if story is None:
        raise Http404("No such story.")
    return story
