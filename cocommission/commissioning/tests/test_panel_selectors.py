"""Weighted totals, the ranking, each member's scoring list and the scores side by side."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..models import Application, ModeratedScore
from ..selectors import panels as selectors
from ..services import panel_scoring as scoring
from ..services import panels as services
from .factories import ApplicationFactory, ConflictDeclarationFactory, ScoreSheetFactory
from .panel_world import World, agreed, build_world, full_sheet

# ---- Weighted totals --------------------------------------------------------------------------


def test_weighted_total_is_the_sum_of_score_times_weight_over_five():
    assert selectors.weighted_total([(4, 60), (2, 40)]) == Decimal("64.0")
    assert selectors.weighted_total([(5, 50), (5, 50)]) == Decimal("100.0")
    assert selectors.weighted_total([(0, 70), (0, 30)]) == Decimal("0.0")
    assert selectors.weighted_total([(3, 33), (4, 33), (2, 34)]) == Decimal("59.8")
    assert selectors.weighted_total([(1, 1), (0, 2)]) == Decimal("6.7")  # 6.666… rounds half up
    assert selectors.weighted_total([]) == Decimal("0.0")


def test_weighted_total_is_a_percentage_of_the_weights_given_when_they_do_not_add_up_to_100():
    assert selectors.weighted_total([(5, 20)]) == Decimal("100.0")
    assert selectors.weighted_total([(1, 30), (4, 30)]) == Decimal("50.0")


criteria_scores = st.lists(
    st.tuples(st.integers(min_value=0, max_value=5), st.integers(min_value=1, max_value=100)), min_size=1, max_size=8
)


@given(criteria_scores)
def test_weighted_total_is_always_between_0_and_100_with_one_decimal_place(pairs):
    total = selectors.weighted_total(pairs)
    assert Decimal("0") <= total <= Decimal("100")
    assert total == total.quantize(Decimal("0.1"))


@given(criteria_scores, st.data())
def test_weighted_total_never_falls_when_one_score_rises(pairs, data):
    index = data.draw(st.integers(min_value=0, max_value=len(pairs) - 1))
    score, weight = pairs[index]
    higher = data.draw(st.integers(min_value=score, max_value=5))
    raised = [*pairs[:index], (higher, weight), *pairs[index + 1 :]]
    assert selectors.weighted_total(raised) >= selectors.weighted_total(pairs)


# ---- World-based reads ------------------------------------------------------------------------


@pytest.fixture
def world(icb, org_a, org_b, charlie, lena, partnership) -> World:
    return build_world(icb=icb, org_a=org_a, org_b=org_b, charlie=charlie, lena=lena, partnership=partnership)


def _declare_and_submit(world: World, who: str, application: Application, **scores: int) -> None:
    seat = world.seats[who]
    services.declare_interests(actor=seat.user, member=seat, application=application, has_conflict=False)
    scoring.save_score_sheet(
        actor=seat.user, member=seat, application=application, entries=full_sheet(world, **scores), submit=True
    )


@pytest.mark.django_db
def test_scoring_rows_say_where_the_member_is_with_each_application(world, org_a):
    seat = world.seats["charlie"]
    third = ApplicationFactory.create(opportunity=world.opportunity, submitted=True)
    fourth = ApplicationFactory.create(opportunity=world.opportunity, submitted=True)
    ConflictDeclarationFactory.create(member=seat, application=world.app_b, conflicted=True)
    _declare_and_submit(world, "charlie", world.app_a)
    ConflictDeclarationFactory.create(member=seat, application=third)
    ScoreSheetFactory.create(member=seat, application=third)
    ApplicationFactory.create(opportunity=world.opportunity)  # a draft: never on the list
    rows = selectors.scoring_rows(seat, selectors.submitted_applications(world.opportunity))
    assert {row.application: row.status for row in rows} == {
        world.app_a: "submitted",
        world.app_b: "conflicted",
        third: "draft",
        fourth: "declare",
    }
    assert next(r for r in rows if r.application == world.app_a).applicant == "Riverside Carers"


@pytest.mark.django_db
def test_scoring_rows_take_the_same_queries_for_any_number_of_applications(world, django_assert_num_queries):
    seat = world.seats["lena"]
    for _ in range(10):
        application = ApplicationFactory.create(opportunity=world.opportunity, submitted=True)
        ConflictDeclarationFactory.create(member=seat, application=application)
    applications = list(selectors.submitted_applications(world.opportunity))
    with django_assert_num_queries(2):
        rows = selectors.scoring_rows(seat, applications)
    assert len(rows) == 12


@pytest.mark.django_db
def test_score_comparison_shows_submitted_sheets_conflicts_and_who_is_still_to_score(world):
    _declare_and_submit(world, "stella", world.app_b, reach=5, value=1)
    ConflictDeclarationFactory.create(member=world.seats["charlie"], application=world.app_b, conflicted=True)
    comparison = selectors.score_comparison(world.app_b, world.criteria)
    assert comparison.members == [world.seats["stella"]]
    assert [[cell.score for cell in row.cells] for row in comparison.rows] == [[5], [1]]
    assert [d.member for d in comparison.conflicts] == [world.seats["charlie"]]
    assert comparison.not_submitted == [world.seats["lena"]]


@pytest.mark.django_db
def test_ranking_orders_agreed_applications_by_weighted_total(world, sid):
    for application in (world.app_a, world.app_b):
        _declare_and_submit(world, "stella", application)
    scoring.moderate_application(actor=sid, application=world.app_a, entries=agreed(world, reach=2, value=5))
    scoring.moderate_application(actor=sid, application=world.app_b, entries=agreed(world, reach=5, value=2))
    waiting = ApplicationFactory.create(opportunity=world.opportunity, submitted=True)
    ranked = list(selectors.ranking(world.opportunity))
    assert ranked == [world.app_b, world.app_a, waiting]
    rows = selectors.ranking_rows(world.opportunity, ranked, start=1, viewer=sid)
    assert [(row.position, row.total, row.moderated_count) for row in rows] == [
        (1, Decimal("76.0"), 2),
        (2, Decimal("64.0"), 2),
        (3, None, 0),
    ]
    for row in rows[:2]:
        assert row.total == selectors.moderated_total(row.application, world.criteria)
    assert rows[0].sheets_submitted == 1
    assert all(row.hidden_reason is None for row in rows)


@pytest.mark.django_db
def test_ranking_hides_totals_from_a_panel_member_who_is_conflicted_or_has_not_scored(world, sid):
    _declare_and_submit(world, "stella", world.app_a)
    scoring.moderate_application(actor=sid, application=world.app_a, entries=agreed(world))
    ConflictDeclarationFactory.create(member=world.seats["stella"], application=world.app_b, conflicted=True)
    rows = selectors.ranking_rows(
        world.opportunity, list(selectors.ranking(world.opportunity)), start=1, viewer=world.stella
    )
    by_application = {row.application: row.hidden_reason for row in rows}
    assert by_application == {world.app_a: None, world.app_b: "Hidden: you declared a conflict"}
    lena_rows = selectors.ranking_rows(
        world.opportunity, list(selectors.ranking(world.opportunity)), start=1, viewer=world.lena
    )
    assert {row.hidden_reason for row in lena_rows} == {"Hidden until you submit your scores"}


@pytest.mark.django_db
def test_ranking_rows_take_the_same_queries_for_any_number_of_applications(world, sid, django_assert_num_queries):
    for _ in range(8):
        application = ApplicationFactory.create(opportunity=world.opportunity, submitted=True)
        for criterion in world.criteria:
            ModeratedScore.objects.create(application=application, criterion=criterion, score=3, reason="Agreed")
    with django_assert_num_queries(4):  # the count of criteria, the ranking, the criteria, the viewer's seat
        rows = selectors.ranking_rows(
            world.opportunity, list(selectors.ranking(world.opportunity)), start=1, viewer=sid
        )
    assert len(rows) == 10
    assert rows[0].total == Decimal("60.0")


@pytest.mark.django_db
def test_panel_balance_counts_each_sector(world):
    balance = selectors.panel_balance(world.opportunity)
    assert balance.counts == {"statutory": 1, "vcse": 1, "lived_experience": 1, "other": 0}
    assert balance.is_balanced
