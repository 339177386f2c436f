"""Who may see and change applications: the applicant's people, consortium members, the funder
once it is submitted, and nobody else."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cocommission.commissioning.models import Application
from cocommission.commissioning.routes import State
from cocommission.commissioning.services import applications as services
from cocommission.commissioning.services import consortia
from cocommission.commissioning.tests.factories import QuestionFactory, new_opportunity

pytestmark = pytest.mark.django_db

PERSONAS = ["alice", "bob", "charlie", "cora", "lena", "pat", "sid"]


@pytest.fixture
def grant(icb, partnership):
    opportunity = new_opportunity(funder=icb, partnership=partnership, open=True, max_award=Decimal("10000"))
    QuestionFactory(opportunity=opportunity, word_limit=100)
    return opportunity


@pytest.fixture
def draft(grant, org_a, alice):
    return services.start_application(actor=alice, opportunity=grant, organisation=org_a)


@pytest.fixture
def submitted(draft, alice):
    (question,) = draft.opportunity.questions.all()
    services.save_draft(
        actor=alice, application=draft, amount_requested=Decimal("900"), summary="", answers={question.pk: "We will"}
    )
    return services.submit_application(actor=alice, application=draft)


def status_for(client, request, persona: str | None, url: str) -> int:
    if persona:
        client.force_login(request.getfixturevalue(persona))
    return client.get(url).status_code


def urls(application: Application) -> dict[str, str]:
    return {
        name: reverse(f"commissioning:{name}", args=[application.pk])
        for name in ("application_detail", "application_submit", "application_withdraw", "application_reopen")
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 200), ("bob", 200), ("charlie", 404), ("cora", 404), ("lena", 404), ("pat", 404), ("sid", 404)],
)
def test_a_draft_is_seen_only_by_the_applicant(client, request, mfa_off, draft, persona, expected):
    for url in urls(draft).values():
        assert status_for(client, request, persona, url) == expected, url


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 200), ("bob", 200), ("charlie", 404), ("cora", 200), ("lena", 404), ("pat", 404), ("sid", 200)],
)
def test_a_submitted_application_is_seen_by_the_funder_too(client, request, mfa_off, submitted, persona, expected):
    response_status = status_for(client, request, persona, urls(submitted)["application_detail"])
    assert response_status == expected


@pytest.mark.parametrize("persona", ["sid", "cora"])
def test_the_funder_reads_but_cannot_change_a_submitted_application(client, request, mfa_off, submitted, persona):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(urls(submitted)["application_detail"]).content.decode()
    assert "Save draft" not in html and "Withdraw the application" not in html
    assert "We will" in html
    for name in ("application_submit", "application_withdraw", "application_reopen"):
        assert client.get(urls(submitted)[name]).status_code == 404
    assert client.post(urls(submitted)["application_withdraw"]).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED


def test_a_withdrawn_application_is_hidden_from_the_funder_again(client, sid, mfa_off, submitted, alice):
    services.withdraw_application(actor=alice, application=submitted)
    client.force_login(sid)
    assert client.get(urls(submitted)["application_detail"]).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, draft, grant):
    for url in [
        *urls(draft).values(),
        reverse("commissioning:application_list"),
        reverse("commissioning:apply", args=[grant.slug]),
        reverse("commissioning:consortium_matrix", args=[draft.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login")), url


def test_an_outsider_cannot_post_changes(client, charlie, draft):
    client.force_login(charlie)
    assert client.post(urls(draft)["application_detail"], {"summary": "hijack"}).status_code == 404
    assert client.post(urls(draft)["application_submit"]).status_code == 404
    draft.refresh_from_db()
    assert draft.summary == "" and draft.status == Application.Status.DRAFT


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_signed_in_has_a_list_of_their_own(client, request, mfa_off, persona):
    assert status_for(client, request, persona, reverse("commissioning:application_list")) == 200


def test_a_draft_opportunity_outside_any_partnership_cannot_be_applied_to(client, alice, icb):
    hidden = new_opportunity(funder=icb, state=State.DRAFT)
    client.force_login(alice)
    assert client.get(reverse("commissioning:apply", args=[hidden.slug])).status_code == 404


# Consortium applications


@pytest.fixture
def consortium_app(grant, org_a, alice):
    return services.start_application(
        actor=alice, opportunity=grant, organisation=org_a, as_consortium=True, consortium_name="Together"
    )


@pytest.fixture
def charlie_invited(consortium_app, alice, org_b):
    return consortia.invite_member(actor=alice, application=consortium_app, organisation=org_b)


@pytest.mark.parametrize(
    ("persona", "detail", "matrix", "invite", "submit"),
    [
        ("alice", 200, 200, 200, 200),
        ("bob", 200, 200, 200, 200),
        ("charlie", 200, 200, 403, 403),  # an invited member reads, the starting organisation writes
        ("cora", 404, 404, 404, 404),
        ("lena", 404, 404, 404, 404),
        ("pat", 404, 404, 404, 404),
        ("sid", 404, 404, 404, 404),
    ],
)
def test_consortium_pages(
    client, request, mfa_off, consortium_app, charlie_invited, persona, detail, matrix, invite, submit
):
    client.force_login(request.getfixturevalue(persona))
    pk = consortium_app.pk
    assert client.get(reverse("commissioning:application_detail", args=[pk])).status_code == detail
    assert client.get(reverse("commissioning:consortium_matrix", args=[pk])).status_code == matrix
    assert client.get(reverse("commissioning:consortium_invite", args=[pk])).status_code == invite
    assert client.get(reverse("commissioning:application_submit", args=[pk])).status_code == submit


def test_a_consortium_member_cannot_change_the_answers_or_matrix(client, charlie, consortium_app, charlie_invited):
    client.force_login(charlie)
    pk = consortium_app.pk
    assert client.post(reverse("commissioning:application_detail", args=[pk]), {"summary": "x"}).status_code == 403
    assert client.post(reverse("commissioning:consortium_matrix", args=[pk]), {}).status_code == 403


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("charlie", 200), ("alice", 403), ("bob", 403), ("cora", 404), ("lena", 404), ("pat", 404), ("sid", 404)],
)
def test_only_the_member_organisations_admins_respond(
    client, request, mfa_off, consortium_app, charlie_invited, persona, expected
):
    url = reverse("commissioning:consortium_respond", args=[consortium_app.pk, charlie_invited.pk])
    assert status_for(client, request, persona, url) == expected


def test_a_member_of_another_application_cannot_reach_this_ones_members(client, charlie, consortium_app, org_a):
    founder = consortium_app.consortium.members.get(organisation=org_a)
    client.force_login(charlie)  # not invited: cannot see the application at all
    url = reverse("commissioning:consortium_respond", args=[consortium_app.pk, founder.pk])
    assert client.get(url).status_code == 404
