"""Permission-matrix cases for the stories pages.

Members read published stories; a story waiting for moderation is for its teller (bob) and the
coordinator (cora) only; moderation is for coordinators, not platform admins. The public pages
answer everyone, and show only stories published with consent to public pages.
"""

from typing import Any

from cocommission.accounts.models import User
from cocommission.needs.models import Story
from cocommission.needs.permissions import withdrawal_key_hash
from cocommission.needs.tests.factories import StoryFactory

from .common import ALL_200, COORDINATORS, MEMBERS, NOT_FOUND, Case, TogetherWorld, extra, o, slug

N = "needs:"
WITHDRAWAL_KEY = "matrix-withdrawal-key"

TELLER_AND_COORDINATOR = o("login", 404, 200, 404, 200, 404, 404, 404)
TELLER_ONLY = o("login", 404, 200, 404, 404, 404, 404, 404)
COORDINATOR_SENT_BACK = o("login", 403, 403, 403, "redirect", 403, 403, 403)
ONLY_PAT_SEES_OTHERS = o("login", 404, 404, 404, 404, 404, 200, 404)
HIDDEN = o("login", 404, 404, 404, 404, 404, 404, 404)


def build(w: TogetherWorld) -> None:
    """A published public story (lena's), a published members-only one, bob's waiting story, a
    public storyteller's waiting story with a known withdrawal key, and another partnership's story."""
    lena = User.objects.get(email="lena@example.org")
    bob = User.objects.get(email="bob@example.org")
    w.extra["story_public"] = StoryFactory.create(
        partnership=w.partnership, published=True, consent_public=True, submitted_by=lena
    )
    w.extra["story_members_only"] = StoryFactory.create(partnership=w.partnership, published=True)
    w.extra["story_waiting"] = StoryFactory.create(partnership=w.partnership, submitted_by=bob)
    w.extra["story_from_public"] = StoryFactory.create(
        partnership=w.partnership,
        source=Story.Source.PUBLIC,
        withdrawal_key_hash=withdrawal_key_hash(WITHDRAWAL_KEY),
    )
    w.extra["story_elsewhere"] = StoryFactory.create(partnership=w.other_partnership, published=True)


def other_partnership(w: TogetherWorld) -> dict[str, Any]:
    return {"slug": w.other_partnership.slug}


def unknown_slug(w: TogetherWorld) -> dict[str, Any]:
    return {"slug": "no-such-partnership"}


def own(name: str) -> Any:
    return lambda w: {"pk": w.extra[name].pk}


MATRIX: dict[str, list[Case]] = {
    N + "story_list": [
        Case("members", slug, MEMBERS),
        Case("another partnership", other_partnership, ONLY_PAT_SEES_OTHERS),
    ],
    N + "story_tell": [Case("members", slug, MEMBERS)],
    N + "story_queue": [Case("coordinators", slug, COORDINATORS)],
    N + "story_detail": [
        Case("published", extra("story_public"), MEMBERS),
        Case("waiting", extra("story_waiting"), TELLER_AND_COORDINATOR),
        Case("another partnership's", extra("story_elsewhere"), HIDDEN),
    ],
    N + "story_moderate": [
        Case("waiting", extra("story_waiting"), COORDINATORS),
        Case("published", extra("story_public"), COORDINATOR_SENT_BACK),
    ],
    N + "story_decline": [
        Case("waiting", extra("story_waiting"), COORDINATORS),
        Case("published", extra("story_public"), COORDINATOR_SENT_BACK),
    ],
    N + "story_mine": [Case("signed in", lambda w: {}, MEMBERS)],
    N + "story_withdraw": [
        Case("bob's", own("story_waiting"), TELLER_ONLY),
        Case("a public storyteller's", own("story_from_public"), HIDDEN),
    ],
    N + "story_public_list": [Case("anyone", slug, ALL_200), Case("unknown", unknown_slug, NOT_FOUND)],
    N + "story_public_tell": [Case("anyone", slug, ALL_200), Case("unknown", unknown_slug, NOT_FOUND)],
    N + "story_public_detail": [
        Case("public", extra("story_public"), ALL_200),
        Case("members only", extra("story_members_only"), NOT_FOUND),
        Case("waiting", extra("story_waiting"), NOT_FOUND),
    ],
    N + "story_public_withdraw": [
        Case("the link", lambda w: {"key": WITHDRAWAL_KEY}, ALL_200),
        Case("a made-up link", lambda w: {"key": "not-a-real-key"}, NOT_FOUND),
    ],
}
