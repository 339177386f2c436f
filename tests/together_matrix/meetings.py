"""Permission-matrix cases for the meetings pages, contributions, hanging questions and
"before you meet".

The world's meeting (a month ago) was attended by alice (organisation A), sid (the ICB) and
lena; cora coordinates. bob and charlie belong through their organisations but did not come.
"""

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from cocommission.deciding.models import AgendaItem, Attendance, MeetingPaper, Voice
from cocommission.deciding.tests.factories import ContributionFactory, MeetingFactory
from cocommission.demo.loader import demo_pdf

from .common import COORDINATORS, MEMBERS, POST_ONLY, Case, TogetherWorld, extra, o, slug


def build(w: TogetherWorld) -> None:
    """Add this part's objects to the world (w.extra[...])."""
    from cocommission.accounts.models import User

    meeting = MeetingFactory.create(
        partnership=w.partnership, starts_at=timezone.now() - datetime.timedelta(days=30), title="Spring board"
    )
    for email, organisation, voice in [
        ("alice@example.org", w.org_a, Voice.VCSE),
        ("sid@example.org", w.icb, Voice.STATUTORY),
        ("lena@example.org", None, Voice.LIVED_EXPERIENCE),
    ]:
        Attendance.objects.create(
            meeting=meeting, user=User.objects.get(email=email), organisation=organisation, voice=voice
        )
    w.extra["meeting"] = meeting
    w.extra["question"] = ContributionFactory.create(meeting=meeting, organisation=w.org_a)
    w.extra["item"] = AgendaItem.objects.create(meeting=meeting, position=1, title="Welcome")
    paper = MeetingPaper(meeting=meeting, title="Budget paper", original_name="budget.pdf", size=100)
    paper.content_type = "application/pdf"
    paper.file.save("budget.pdf", ContentFile(demo_pdf("Budget paper")), save=False)
    paper.save()
    w.extra["paper"] = paper
    outsider = MeetingFactory.create(partnership=w.other_partnership, title="Fellside forum")
    w.extra["outsider_meeting"] = outsider
    w.extra["outsider_question"] = ContributionFactory.create(meeting=outsider)


def meeting(w: TogetherWorld) -> dict[str, Any]:
    return {"slug": w.partnership.slug, "pk": w.extra["meeting"].pk}


def part(name: str, key: str) -> Any:
    """kwargs for one of the world meeting's parts (an agenda item, a paper, a contribution)."""
    return lambda w: {**meeting(w), key: w.extra[name].pk}


IN_THE_ROOM = o("login", 200, 403, 403, 200, 200, 403, 200)  # attended, or coordinates
ORGANISATION_A_MEMBERS = o("login", 200, 200, 403, 403, 403, 403, 403)
NOT_HERE = o("login", 404, 404, 404, 404, 404, 404, 404)

MATRIX: dict[str, list[Case]] = {
    "deciding:meeting_list": [Case("the partnership's members", slug, MEMBERS)],
    "deciding:meeting_create": [Case("coordinators", slug, COORDINATORS)],
    "deciding:meeting_detail": [
        Case("the partnership's meeting", extra("meeting"), MEMBERS),
        # Another partnership's meeting under this partnership's address does not exist here.
        Case("another partnership's meeting", lambda w: {**slug(w), "pk": w.extra["outsider_meeting"].pk}, NOT_HERE),
        # Under its own partnership's address: only pat, who sees every partnership.
        Case(
            "a partnership nobody here is in",
            lambda w: {"slug": w.other_partnership.slug, "pk": w.extra["outsider_meeting"].pk},
            o("login", 404, 404, 404, 404, 404, 200, 404),
        ),
    ],
    "deciding:meeting_edit": [Case("coordinators", extra("meeting"), COORDINATORS)],
    "deciding:meeting_agenda": [Case("coordinators", extra("meeting"), COORDINATORS)],
    "deciding:agenda_item_move": [Case("a POST from the agenda page", part("item", "item_pk"), POST_ONLY)],
    "deciding:agenda_item_remove": [Case("coordinators", part("item", "item_pk"), COORDINATORS)],
    "deciding:meeting_paper_add": [Case("coordinators", extra("meeting"), COORDINATORS)],
    "deciding:meeting_paper_download": [
        Case("the partnership's members", part("paper", "paper_pk"), MEMBERS),
    ],
    "deciding:meeting_paper_remove": [Case("coordinators", part("paper", "paper_pk"), COORDINATORS)],
    "deciding:meeting_attendance": [Case("coordinators", extra("meeting"), COORDINATORS)],
    "deciding:meeting_minutes": [Case("coordinators", extra("meeting"), COORDINATORS)],
    "deciding:contribution_add": [Case("people who came, and the coordinator", extra("meeting"), IN_THE_ROOM)],
    "deciding:contribution_detail": [
        Case("the partnership's members", part("question", "contribution_pk"), MEMBERS),
        Case(
            "another partnership's question under this meeting",
            lambda w: {**meeting(w), "contribution_pk": w.extra["outsider_question"].pk},
            NOT_HERE,
        ),
    ],
    "deciding:hanging_questions": [Case("the partnership's members", slug, MEMBERS)],
    "deciding:before_you_meet_choose": [
        Case("members of the organisation", lambda w: {"slug": w.org_a.slug}, ORGANISATION_A_MEMBERS),
    ],
    "deciding:before_you_meet": [
        Case(
            "members of either organisation",
            lambda w: {"slug": w.org_a.slug, "other_slug": w.org_b.slug},
            o("login", 200, 200, 200, 403, 403, 403, 403),
        ),
        Case(
            "a VCSE organisation and the ICB",
            lambda w: {"slug": w.org_a.slug, "other_slug": w.icb.slug},
            o("login", 200, 200, 403, 403, 403, 403, 200),
        ),
    ],
}
