"""Panel set-up and moderation pages, and who gets in."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from cocommission.core.models import AuditEvent
from cocommission.organisations.tests.factories import MembershipFactory

from ..models import Application, ModeratedScore, Opportunity, Panel, PanelMember
from ..routes import State
from ..services import panel_scoring as scoring
from ..services import panels as services
from .factories import ApplicationFactory, OpportunityFactory, PanelMemberFactory
from .panel_world import World, build_world, full_sheet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]


@pytest.fixture
def world(icb, org_a, org_b, charlie, lena, partnership) -> World:
    return build_world(icb=icb, org_a=org_a, org_b=org_b, charlie=charlie, lena=lena, partnership=partnership)


def _url(name: str, world: World, pk: int | None = None) -> str:
    args: list[object] = [world.opportunity.slug] + ([pk] if pk is not None else [])
    return reverse(f"commissioning:{name}", args=args)


def _every_url(world: World) -> list[str]:
    return [
        _url("panel", world),
        _url("panel_member_remove", world, world.seats["lena"].pk),
        _url("panel_scoring", world),
        _url("panel_declare", world, world.app_a.pk),
        _url("panel_score", world, world.app_a.pk),
        _url("panel_moderation", world),
        _url("panel_moderate", world, world.app_a.pk),
    ]


def _submit(world: World, who: str, application: Application) -> None:
    seat = world.seats[who]
    services.declare_interests(actor=seat.user, member=seat, application=application, has_conflict=False)
    scoring.save_score_sheet(
        actor=seat.user, member=seat, application=application, entries=full_sheet(world), submit=True
    )


# ---- Who gets in ------------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_sign_in(client, world):
    for url in _every_url(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_applicants_and_outsiders_are_refused_every_panel_page(client, world, alice, bob, pat):
    for person in (alice, bob, pat):
        client.force_login(person)
        for url in _every_url(world):
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"email": "x@example.org", "sector": "vcse"}).status_code == 403, url
    assert PanelMember.objects.count() == 3
    assert not AuditEvent.objects.exists()


def test_refusals_say_why(client, world, alice):
    client.force_login(alice)
    response = client.get(_url("panel_scoring", world))
    assert response.status_code == 403
    assert "You are not on the panel for this opportunity" in response.content.decode()
    response = client.get(_url("panel_moderation", world))
    assert "Only the commissioners and the chair of the panel" in response.content.decode()


def test_a_draft_opportunitys_panel_pages_are_not_found_for_outsiders(client, world):
    Opportunity.objects.filter(pk=world.opportunity.pk).update(state=State.DRAFT)
    client.force_login(MembershipFactory.create(user__email="dana@example.org").user)  # not in the partnership
    for url in _every_url(world):
        assert client.get(url).status_code == 404, url


def test_panel_members_who_do_not_chair_cannot_set_up_or_moderate(client, world):
    client.force_login(world.lena)
    for url in _every_url(world)[:2] + _every_url(world)[5:]:
        assert client.get(url).status_code == 403, url


def test_application_from_another_opportunity_is_not_found(client, world, icb):
    elsewhere = ApplicationFactory.create(
        opportunity=OpportunityFactory.create(funder=icb, scoring=True), submitted=True
    )
    client.force_login(world.lena)
    assert client.get(_url("panel_score", world, elsewhere.pk)).status_code == 404
    assert client.get(_url("panel_declare", world, elsewhere.pk)).status_code == 404


# ---- Set-up -----------------------------------------------------------------------------------


def test_the_panel_page_names_what_is_missing(client, icb, sid):
    opportunity = OpportunityFactory.create(funder=icb, closed=True, lived_experience_on_panel=True)
    client.force_login(sid)
    response = client.get(reverse("commissioning:panel", args=[opportunity.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Scoring cannot open yet." in content
    assert "The panel needs at least one person with lived experience." in content
    assert "Nobody is on the panel yet." in content


def test_a_balanced_panel_says_so_and_lists_its_members(client, world, sid):
    client.force_login(sid)
    content = client.get(_url("panel", world)).content.decode()
    assert "The panel has every voice it needs." in content
    assert escape(str(world.lena)) in content  # names like O'Brien are escaped in the page
    assert "Chair" in content


def test_a_manager_adds_a_member(client, world, sid, alice):
    client.force_login(sid)
    response = client.post(_url("panel", world), {"email": alice.email, "sector": "vcse"}, follow=True)
    assert response.redirect_chain[-1][0] == _url("panel", world)
    assert f"{alice} is on the panel (VCSE)." in response.content.decode()
    assert PanelMember.objects.filter(user=alice, organisation__slug="riverside-carers").exists()


def test_adding_keeps_the_input_and_shows_the_services_reason(client, world, sid, alice):
    client.force_login(sid)
    response = client.post(_url("panel", world), {"email": alice.email, "sector": "statutory"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "is not a member of any statutory organisation" in content
    assert 'value="alice@example.org"' in content
    response = client.post(_url("panel", world), {"email": "", "sector": ""})
    assert "Enter their email address" in response.content.decode()
    assert "Choose the sector they sit for" in response.content.decode()


def test_removing_asks_first_and_refuses_to_unbalance_a_scoring_panel(client, world, sid):
    client.force_login(sid)
    url = _url("panel_member_remove", world, world.seats["lena"].pk)
    assert "Remove" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 200
    assert "cannot leave while the panel is scoring" in response.content.decode()
    Opportunity.objects.filter(pk=world.opportunity.pk).update(state=State.CLOSED)
    response = client.post(url)
    assert response.status_code == 302
    assert not PanelMember.objects.filter(user=world.lena).exists()


def test_the_panel_page_query_count_does_not_grow_with_members(client, world, sid, django_assert_max_num_queries):
    panel = Panel.objects.get(opportunity=world.opportunity)
    client.force_login(sid)
    client.get(_url("panel", world))
    with django_assert_max_num_queries(30) as few:
        client.get(_url("panel", world))
    PanelMemberFactory.create_batch(10, panel=panel)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_url("panel", world))
    assert len(response.context["page"].object_list) == 13


# ---- Moderation -------------------------------------------------------------------------------


def test_the_ranking_lists_applications_for_managers_and_chairs(client, world, sid):
    for person in (sid, world.stella):
        client.force_login(person)
        response = client.get(_url("panel_moderation", world))
        assert response.status_code == 200
        assert "Riverside Carers" in response.content.decode()


def test_a_manager_records_agreed_scores(client, world, sid):
    _submit(world, "lena", world.app_a)
    client.force_login(sid)
    url = _url("panel_moderate", world, world.app_a.pk)
    page = client.get(url).content.decode()
    assert "Reaches people the other services miss." in page  # lena's submitted comment
    reach, value = world.criteria
    data = {
        f"score_{reach.pk}": "4",
        f"comment_{reach.pk}": "Agreed after discussion.",
        f"score_{value.pk}": "3",
        f"comment_{value.pk}": "",
        "notes": "One round of discussion.",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Enter the reason for Value" in response.content.decode()
    assert not ModeratedScore.objects.exists()
    data[f"comment_{value.pk}"] = "In line with similar services."
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == _url("panel_moderation", world)
    assert "72.0%" in response.content.decode()  # (4 × 60 + 3 × 40) ÷ 5
    assert ModeratedScore.objects.filter(application=world.app_a).count() == 2


def test_a_chair_who_has_not_scored_is_told_to_submit_first(client, world):
    client.force_login(world.stella)
    response = client.get(_url("panel_moderate", world, world.app_a.pk))
    assert response.status_code == 403
    assert "hidden until you submit your own scores" in response.content.decode()


def test_moderation_pages_take_the_same_queries_for_more_applications_and_sheets(
    client, world, sid, django_assert_max_num_queries
):
    _submit(world, "lena", world.app_a)
    client.force_login(sid)
    client.get(_url("panel_moderation", world))
    with django_assert_max_num_queries(30) as ranking_few:
        client.get(_url("panel_moderation", world))
    with django_assert_max_num_queries(40) as moderate_few:
        client.get(_url("panel_moderate", world, world.app_a.pk))
    for _ in range(8):
        ApplicationFactory.create(opportunity=world.opportunity, submitted=True)
    _submit(world, "stella", world.app_a)
    _submit(world, "charlie", world.app_a)
    with django_assert_max_num_queries(len(ranking_few.captured_queries)):
        client.get(_url("panel_moderation", world))
    with django_assert_max_num_queries(len(moderate_few.captured_queries)):
        response = client.get(_url("panel_moderate", world, world.app_a.pk))
    assert len(response.context["comparison"].members) == 3
