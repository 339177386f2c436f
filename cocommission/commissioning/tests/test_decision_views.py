"""Decision pages: the form, confirming, awarding, feedback, and the decision record."""

import json
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cocommission.commissioning.models import ApplicationDecision
from cocommission.commissioning.routes import State
from cocommission.commissioning.selectors.decisions import decision_for_application
from cocommission.commissioning.services.decisions import field_name, save_decision
from cocommission.commissioning.services.transitions import move_opportunity

from .factories import ApplicationFactory, CriterionFactory, OpportunityFactory
from .factories_decisions import (
    ApplicationDecisionFactory,
    DecisionRecordFactory,
    award_all,
    declare_conflict,
    moderate,
    seat,
    submitted_applications,
    submitted_scores,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity(icb, partnership):
    return OpportunityFactory.create(funder=icb, partnership=partnership, scoring=True, grant=True, title="Lunch clubs")


@pytest.fixture
def mine(opportunity, org_a):
    return ApplicationFactory.create(opportunity=opportunity, organisation=org_a, submitted=True)


def _url(name, opportunity):
    return reverse(f"commissioning:{name}", args=[opportunity.slug])


def _form_data(applications, **overrides):
    data = {
        "decision_makers": "Sid Shah (ICB, chair)",
        "summary": "Weighted agreed scores, funded from the top.",
        "conflicts_summary": "",
    }
    for application in applications:
        data[field_name("outcome", application.pk)] = "award"
        data[field_name("amount", application.pk)] = "5,000"
        data[field_name("reasons", application.pk)] = "Strong on reach."
        data[field_name("feedback", application.pk)] = "Say more about measuring outcomes."
    data.update(overrides)
    return data


def _decide(sid, opportunity, applications, amount=Decimal("5000")):
    save_decision(
        actor=sid,
        opportunity=opportunity,
        decision_makers="Sid Shah",
        summary="Scores.",
        conflicts_summary="",
        items=award_all(applications, amount),
    )


# The decision form


def test_a_manager_sees_every_submitted_application_with_prefilled_panel_and_conflicts(
    client, mfa_off, sid, lena, opportunity, mine
):
    member = seat(opportunity, user=lena, sector="lived_experience")
    declare_conflict(member, mine, details="Volunteers there")
    client.force_login(sid)
    response = client.get(_url("decision", opportunity))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Decision on {mine.organisation.name}" in html
    assert f"Amount to award to {mine.organisation.name}, in pounds" in html
    assert "The most one award can be is £10,000" in html
    assert lena.get_full_name() in html  # suggested decision makers
    assert "Volunteers there" in html  # suggested conflicts summary


def test_saving_the_form_records_the_decision(client, mfa_off, sid, opportunity, mine):
    client.force_login(sid)
    response = client.post(_url("decision", opportunity), _form_data([mine]))
    assert response.status_code == 302
    assert response["Location"] == _url("decision_progress", opportunity)
    decision = ApplicationDecision.objects.get(application=mine)
    assert decision.amount == Decimal("5000")


def test_an_award_over_the_maximum_is_shown_on_its_field_and_the_input_is_kept(client, mfa_off, sid, opportunity, mine):
    client.force_login(sid)
    data = _form_data([mine], **{field_name("amount", mine.pk): "12000", "summary": "My careful summary"})
    response = client.post(_url("decision", opportunity), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert f"The award to {mine.organisation.name} is £12,000. The most one award can be is £10,000." in html
    assert f'href="#id_{field_name("amount", mine.pk)}"' in html
    assert "My careful summary" in html
    assert not ApplicationDecision.objects.exists()


def test_awards_over_the_budget_are_shown_at_the_top(client, mfa_off, sid, opportunity):
    applications = submitted_applications(opportunity, 6)
    client.force_login(sid)
    data = _form_data(applications)
    for application in applications:
        data[field_name("amount", application.pk)] = "9000"
    response = client.post(_url("decision", opportunity), data)
    assert "Awards add up to £54,000, which is more than the budget of £50,000" in response.content.decode()
    assert not ApplicationDecision.objects.exists()


def test_the_decision_form_refuses_people_who_do_not_manage(client, mfa_off, request, opportunity, mine):
    assert client.get(_url("decision", opportunity)).status_code == 302  # anonymous: sign in first
    for persona in ("alice", "charlie", "lena", "pat"):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(_url("decision", opportunity)).status_code == 403, persona
        assert client.post(_url("decision", opportunity), _form_data([mine])).status_code == 403, persona
    assert not ApplicationDecision.objects.exists()


def test_the_partnership_coordinator_can_decide(client, cora, opportunity, mine):
    client.force_login(cora)
    assert client.get(_url("decision", opportunity)).status_code == 200


def test_after_confirming_the_form_sends_managers_to_the_progress_page(client, mfa_off, sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, decided=True)
    client.force_login(sid)
    response = client.get(_url("decision", opportunity))
    assert response.status_code == 302
    assert response["Location"] == _url("decision_progress", opportunity)


def test_the_decision_form_query_count_does_not_grow_with_applications(
    client, mfa_off, sid, opportunity, django_assert_max_num_queries
):
    client.force_login(sid)
    _decide(sid, opportunity, submitted_applications(opportunity, 2))
    with django_assert_max_num_queries(30) as few:
        client.get(_url("decision", opportunity))
    more = submitted_applications(opportunity, 8)
    ApplicationDecision.objects.bulk_create(
        [ApplicationDecision(application=a, outcome="decline", reasons="r", feedback="f") for a in more]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("decision", opportunity))


def test_a_direct_route_offers_to_add_the_named_provider(client, mfa_off, sid, icb):
    opportunity = OpportunityFactory.create(funder=icb, psr_direct_c=True, assessing=True)
    named = opportunity.named_provider
    assert named is not None
    client.force_login(sid)
    html = client.get(_url("decision", opportunity)).content.decode()
    assert f"Add {named.name} to the decision" in html
    response = client.post(_url("decision_add_provider", opportunity))
    assert response.status_code == 302
    html = client.get(_url("decision", opportunity)).content.decode()
    assert f"Decision on {named.name}" in html


# Confirming and awarding


def test_the_confirm_page_names_what_is_missing_before_the_button(client, mfa_off, sid, opportunity, mine):
    client.force_login(sid)
    html = client.get(_url("decision_confirm", opportunity)).content.decode()
    assert f"Decide on the application from {mine.organisation.name}" in html


def test_confirming_moves_to_decided_and_a_second_post_is_refused(client, mfa_off, sid, opportunity, mine):
    _decide(sid, opportunity, [mine])
    client.force_login(sid)
    response = client.post(_url("decision_confirm", opportunity))
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.state == State.DECIDED
    again = client.post(_url("decision_confirm", opportunity))
    assert again.status_code == 200
    assert "This opportunity is decided" in again.content.decode()


def test_award_through_the_page_shows_the_draft_agreement(client, mfa_off, sid, opportunity, mine):
    _decide(sid, opportunity, [mine])
    move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    client.force_login(sid)
    assert client.post(_url("award_confirm", opportunity)).status_code == 302
    html = client.get(_url("decision_progress", opportunity)).content.decode()
    assert f"A draft agreement AGR-{opportunity.reference}-1 has been created" in html


def test_confirm_and_award_pages_refuse_non_managers(client, alice, opportunity, mine):
    client.force_login(alice)
    for name in ("decision_confirm", "award_confirm", "decision_progress"):
        assert client.get(_url(name, opportunity)).status_code == 403
        assert client.post(_url(name, opportunity)).status_code in (403, 405)
    opportunity.refresh_from_db()
    assert opportunity.state == State.SCORING


def test_the_progress_page_query_count_does_not_grow_with_applications(
    client, mfa_off, sid, opportunity, django_assert_max_num_queries
):
    client.force_login(sid)
    _decide(sid, opportunity, submitted_applications(opportunity, 2))
    with django_assert_max_num_queries(30) as few:
        client.get(_url("decision_progress", opportunity))
    more = submitted_applications(opportunity, 8)
    ApplicationDecision.objects.bulk_create(
        [ApplicationDecision(application=a, outcome="decline", reasons="r", feedback="f") for a in more]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("decision_progress", opportunity))


# Feedback for applicants


def _feedback_url(application):
    return reverse("commissioning:application_feedback", args=[application.pk])


def test_the_applicant_sees_feedback_only_once_told(client, mfa_off, sid, alice, bob, opportunity, mine):
    _decide(sid, opportunity, [mine], Decimal("4000"))
    client.force_login(alice)
    html = client.get(_feedback_url(mine)).content.decode()
    assert "There is no decision on this application yet" in html
    assert "Say more" not in html

    move_opportunity(actor=sid, opportunity=opportunity, target=State.DECIDED)
    client.force_login(bob)
    html = client.get(_feedback_url(mine)).content.decode()
    assert "Awarded" in html and "£4,000" in html
    assert "Well evidenced." in html

    move_opportunity(actor=sid, opportunity=opportunity, target=State.AWARDED)
    html = client.get(_feedback_url(mine)).content.decode()
    assert f"A draft agreement AGR-{opportunity.reference}-1 has been created" in html


def test_a_manager_sees_the_unconfirmed_decision_marked_as_such(client, mfa_off, sid, opportunity, mine):
    _decide(sid, opportunity, [mine])
    client.force_login(sid)
    html = client.get(_feedback_url(mine)).content.decode()
    assert "This decision is not confirmed yet" in html


def test_outsiders_cannot_read_an_applicants_feedback(client, charlie, pat, mfa_off, opportunity, mine):
    ApplicationDecisionFactory.create(application=mine, notified=True)
    for outsider in (charlie, pat):
        client.force_login(outsider)
        assert client.get(_feedback_url(mine)).status_code == 404
    client.logout()
    assert client.get(_feedback_url(mine)).status_code == 302


# The decision record


@pytest.fixture
def scored(opportunity, mine, org_b, sid, lena, charlie):
    criteria = [
        CriterionFactory.create(opportunity=opportunity, name=n, weight=w) for n, w in (("Reach", 60), ("Cost", 40))
    ]
    theirs = ApplicationFactory.create(opportunity=opportunity, organisation=org_b, submitted=True)
    lena_seat = seat(opportunity, user=lena, sector="lived_experience")
    sid_seat = seat(opportunity, user=sid, sector="statutory", chair=True)
    submitted_scores(sid_seat, mine, {criteria[0]: 4, criteria[1]: 3})
    submitted_scores(sid_seat, theirs, {criteria[0]: 2, criteria[1]: 2})
    submitted_scores(lena_seat, mine, {criteria[0]: 5, criteria[1]: 3})
    declare_conflict(lena_seat, theirs, details="Her sister runs it")
    moderate(mine, {criteria[0]: 4, criteria[1]: 3})
    DecisionRecordFactory.create(opportunity=opportunity, decision_makers="Sid Shah (chair)")
    ApplicationDecisionFactory.create(application=mine, amount=Decimal("8000"))
    ApplicationDecisionFactory.create(application=theirs, declined=True)
    return mine, theirs


def test_the_decision_record_json_has_scores_moderation_and_conflicts(client, mfa_off, sid, opportunity, scored):
    mine, theirs = scored
    client.force_login(sid)
    response = client.get(_url("decision_record_json", opportunity))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["schema"] == "cocommission-decision-record/1"
    assert set(data) == {"schema", "generated_at", "opportunity", "decision", "criteria", "panel", "applications"}
    assert data["decision"]["decision_makers"] == "Sid Shah (chair)"
    assert [c["name"] for c in data["criteria"]] == ["Reach", "Cost"]
    rows = {row["applicant"]: row for row in data["applications"]}
    row = rows[mine.organisation.name]
    assert row["outcome"] == "award" and row["amount_awarded"] == "8000.00"
    assert len(row["individual_scores"]) == 2
    assert {s["score"] for sheet in row["individual_scores"] for s in sheet["scores"]} == {3, 4, 5}
    assert row["moderated_scores"] == [
        {"criterion": "Reach", "weight": 60, "score": 4, "reason": "Agreed 4 for Reach"},
        {"criterion": "Cost", "weight": 40, "score": 3, "reason": "Agreed 3 for Cost"},
    ]
    assert row["weighted_total"] == "3.60"
    assert rows[theirs.organisation.name]["conflicts"][0]["details"] == "Her sister runs it"


def test_a_conflicted_panel_member_does_not_see_that_applications_scores(client, mfa_off, lena, opportunity, scored):
    mine, theirs = scored
    client.force_login(lena)
    data = json.loads(client.get(_url("decision_record_json", opportunity)).content)
    rows = {row["applicant"]: row for row in data["applications"]}
    assert rows[theirs.organisation.name]["individual_scores"] is None
    assert rows[theirs.organisation.name]["moderated_scores"] is None
    assert len(rows[mine.organisation.name]["individual_scores"]) == 2
    html = client.get(_url("decision_record", opportunity)).content.decode()
    assert "You declared a conflict on this application" in html


def test_the_printable_record_is_for_managers_and_panel_only(client, mfa_off, request, opportunity, scored):
    for persona, status in (("sid", 200), ("cora", 200), ("lena", 200), ("alice", 403), ("charlie", 403), ("pat", 403)):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(_url("decision_record", opportunity)).status_code == status, persona
        assert client.get(_url("decision_record_json", opportunity)).status_code == status, persona
    client.logout()
    assert client.get(_url("decision_record", opportunity)).status_code == 302


def test_the_printable_record_uses_the_print_class_and_no_inline_styles(client, mfa_off, sid, opportunity, scored):
    client.force_login(sid)
    html = client.get(_url("decision_record", opportunity)).content.decode()
    assert 'class="app-print-record"' in html
    assert "style=" not in html
    assert "Scores by" in html and "Agreed scores: weighted total 3.60 out of 5" in html


def test_the_decision_record_query_count_does_not_grow_with_applications(
    client, mfa_off, sid, lena, opportunity, scored, django_assert_max_num_queries
):
    client.force_login(sid)
    with django_assert_max_num_queries(40) as few:
        client.get(_url("decision_record_json", opportunity))
    criteria = list(opportunity.criteria.all())
    lena_seat = opportunity.panel.members.get(user=lena)
    for application in submitted_applications(opportunity, 5):
        submitted_scores(lena_seat, application, {c: 3 for c in criteria})
        moderate(application, {c: 3 for c in criteria})
        declare_conflict(seat(opportunity), application)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("decision_record_json", opportunity))


def test_the_feedback_include_shows_nothing_without_a_told_decision(opportunity, mine):
    ApplicationDecisionFactory.create(application=mine)
    assert decision_for_application(mine) is None
    assert render_to_string("commissioning/_decision_feedback.html", {"decision": None}).strip() == ""
    ApplicationDecision.objects.filter(application=mine).update(notified_at=timezone.now())
    html = render_to_string("commissioning/_decision_feedback.html", {"decision": decision_for_application(mine)})
    assert "Feedback for you" in html


def test_every_problem_shows_at_once_and_required_fields_are_not_marked_optional(
    client, mfa_off, sid, opportunity, mine
):
    client.force_login(sid)
    data = _form_data(
        [mine], **{field_name("amount", mine.pk): "12000", field_name("reasons", mine.pk): "", "decision_makers": ""}
    )
    html = client.post(_url("decision", opportunity), data).content.decode()
    name = mine.organisation.name
    assert f"The award to {name} is £12,000. The most one award can be is £10,000." in html
    assert f"Enter the reasons for the decision on {name}, referring to the criteria" in html
    assert "Enter the names and roles of the people who made the decision" in html
    assert f"Reasons for the decision on {name} (optional)" not in html
    assert f"Amount to award to {name}, in pounds (optional)" in html
