"""A panel member's pages: the list, declaring, scoring, and seeing others' scores only after."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from ..models import Application, ConflictDeclaration, Opportunity, ScoreSheet
from ..routes import State
from ..services import panel_scoring as scoring
from ..services import panels as services
from .factories import ApplicationFactory, ConflictDeclarationFactory
from .panel_world import World, build_world, full_sheet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]


@pytest.fixture
def world(icb, org_a, org_b, charlie, lena, partnership) -> World:
    return build_world(icb=icb, org_a=org_a, org_b=org_b, charlie=charlie, lena=lena, partnership=partnership)


def _url(name: str, world: World, pk: int | None = None) -> str:
    args: list[object] = [world.opportunity.slug] + ([pk] if pk is not None else [])
    return reverse(f"commissioning:{name}", args=args)


def _sheet_data(world: World, action: str, **overrides: str) -> dict[str, str]:
    reach, value = world.criteria
    data = {
        f"score_{reach.pk}": "4",
        f"comment_{reach.pk}": "Reaches people the other services miss.",
        f"score_{value.pk}": "3",
        f"comment_{value.pk}": "Fair cost.",
        "action": action,
    }
    data.update(overrides)
    return data


def _submit(world: World, who: str, application: Application) -> None:
    seat = world.seats[who]
    services.declare_interests(actor=seat.user, member=seat, application=application, has_conflict=False)
    scoring.save_score_sheet(
        actor=seat.user, member=seat, application=application, entries=full_sheet(world, reach=1), submit=True
    )


def test_the_scoring_list_shows_each_application_and_the_next_step(client, world):
    ConflictDeclarationFactory.create(member=world.seats["charlie"], application=world.app_b, conflicted=True)
    client.force_login(world.charlie)
    response = client.get(_url("panel_scoring", world))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Riverside Carers" in content and "Hillside Food Bank" in content
    assert "Declare interests" in content
    assert "Conflict declared" in content
    assert _url("panel_declare", world, world.app_a.pk) in content


def test_the_scoring_list_says_when_scoring_is_not_open(client, world):
    Opportunity.objects.filter(pk=world.opportunity.pk).update(state=State.CLOSED)
    client.force_login(world.lena)
    assert "Scoring is not open" in client.get(_url("panel_scoring", world)).content.decode()


def test_the_score_sheet_waits_for_a_declaration(client, world):
    client.force_login(world.lena)
    response = client.get(_url("panel_score", world, world.app_a.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("panel_declare", world, world.app_a.pk)


def test_declaring_no_conflict_leads_to_the_score_sheet(client, world):
    client.force_login(world.lena)
    response = client.post(_url("panel_declare", world, world.app_a.pk), {"has_conflict": "no"})
    assert response["Location"] == _url("panel_score", world, world.app_a.pk)
    page = client.get(_url("panel_score", world, world.app_a.pk)).content.decode()
    assert "Score for Reach" in page
    assert "Weekly lunch clubs" in page  # the application's summary is on the page


def test_declaring_a_conflict_needs_details_and_then_shuts_the_score_sheet(client, world):
    client.force_login(world.charlie)
    url = _url("panel_declare", world, world.app_b.pk)
    response = client.post(url, {"has_conflict": "yes"})
    assert response.status_code == 200
    assert "Describe the conflict of interest" in response.content.decode()
    assert client.post(url, {}).status_code == 200
    response = client.post(
        url, {"has_conflict": "yes", "details": "I run the food bank.", "management": "I do not score it."}
    )
    assert response["Location"] == _url("panel_scoring", world)
    response = client.get(_url("panel_score", world, world.app_b.pk))
    assert response.status_code == 403
    assert "so you cannot score it or see the panel" in response.content.decode()
    assert client.post(_url("panel_score", world, world.app_b.pk), _sheet_data(world, "submit")).status_code == 403
    assert not ScoreSheet.objects.exists()
    assert ConflictDeclaration.objects.get(member=world.seats["charlie"]).details == "I run the food bank."


def test_a_draft_is_saved_and_shown_again(client, world):
    ConflictDeclarationFactory.create(member=world.seats["lena"], application=world.app_a)
    client.force_login(world.lena)
    url = _url("panel_score", world, world.app_a.pk)
    reach, value = world.criteria
    response = client.post(url, _sheet_data(world, "save", **{f"score_{value.pk}": "", f"comment_{value.pk}": ""}))
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get()
    assert sheet.submitted_at is None
    page = client.get(url).content.decode()
    assert "Reaches people the other services miss." in page
    assert f'name="score_{reach.pk}" type="radio" value="4" checked' in page


def test_submitting_an_incomplete_sheet_keeps_what_was_typed(client, world):
    ConflictDeclarationFactory.create(member=world.seats["lena"], application=world.app_a)
    client.force_login(world.lena)
    value = world.criteria[1]
    response = client.post(
        _url("panel_score", world, world.app_a.pk), _sheet_data(world, "submit", **{f"comment_{value.pk}": ""})
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Enter a comment for Value" in content
    assert "Reaches people the other services miss." in content
    assert not ScoreSheet.objects.filter(submitted_at__isnull=False).exists()


def test_others_scores_are_hidden_until_the_member_submits_then_shown_side_by_side(client, world):
    _submit(world, "stella", world.app_a)  # stella's comment on Reach: "Reaches people the other services miss."
    ConflictDeclarationFactory.create(member=world.seats["lena"], application=world.app_a)
    client.force_login(world.lena)
    url = _url("panel_score", world, world.app_a.pk)
    page = client.get(url).content.decode()
    assert "stay hidden until you submit your own scores" in page
    assert escape(str(world.stella)) not in page
    response = client.post(url, _sheet_data(world, "submit", **{f"comment_{world.criteria[0].pk}": "My own view."}))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "stay hidden" not in page
    assert escape(str(world.stella)) in page and "Reaches people the other services miss." in page
    assert "My own view." in page
    assert "Submitted" in page


def test_a_second_submission_changes_nothing(client, world):
    ConflictDeclarationFactory.create(member=world.seats["lena"], application=world.app_a)
    client.force_login(world.lena)
    url = _url("panel_score", world, world.app_a.pk)
    client.post(url, _sheet_data(world, "submit"))
    stamped = ScoreSheet.objects.get().submitted_at
    response = client.post(url, _sheet_data(world, "submit", **{f"score_{world.criteria[0].pk}": "0"}), follow=True)
    assert "You have already submitted your scores" in response.content.decode()
    sheet = ScoreSheet.objects.get()
    assert sheet.submitted_at == stamped
    assert sheet.scores.get(criterion=world.criteria[0]).score == 4


def test_scoring_is_refused_when_the_opportunity_is_not_scoring(client, world):
    ConflictDeclarationFactory.create(member=world.seats["lena"], application=world.app_a)
    Opportunity.objects.filter(pk=world.opportunity.pk).update(state=State.CLOSED)
    client.force_login(world.lena)
    url = _url("panel_score", world, world.app_a.pk)
    assert "Scoring is not open" in client.get(url).content.decode()
    response = client.post(url, _sheet_data(world, "submit"))
    assert response.status_code == 200
    assert "Scoring is not open: this opportunity is closed." in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_the_scoring_list_query_count_does_not_grow_with_applications(client, world, django_assert_max_num_queries):
    seat = world.seats["lena"]
    client.force_login(world.lena)
    client.get(_url("panel_scoring", world))
    with django_assert_max_num_queries(30) as few:
        client.get(_url("panel_scoring", world))
    for _ in range(15):
        application = ApplicationFactory.create(opportunity=world.opportunity, submitted=True)
        ConflictDeclarationFactory.create(member=seat, application=application)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_url("panel_scoring", world))
    assert len(response.context["rows"]) == 17


def test_the_scoring_list_is_paginated(client, world):
    ApplicationFactory.create_batch(20, opportunity=world.opportunity, submitted=True)
    client.force_login(world.lena)
    response = client.get(_url("panel_scoring", world))
    assert response.context["page"].paginator.num_pages == 2
    assert len(client.get(_url("panel_scoring", world) + "?page=2").context["rows"]) == 2
