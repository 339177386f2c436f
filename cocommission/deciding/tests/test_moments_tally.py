"""The pure tally: every method, the quorum, who was in the room, and the property that makes a
vote sector-balanced: adding copies of a sector's members changes nothing."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocommission.deciding import tally
from cocommission.deciding.tally import Ballot


def vote(voice: str, option: int, **kwargs) -> Ballot:
    return Ballot(voice=voice, position=tally.VOTE, option=option, **kwargs)


class TestConsensus:
    def test_adopted_when_everyone_agrees_or_stands_aside(self):
        ballots = [
            Ballot("statutory", tally.AGREE),
            Ballot("vcse", tally.STAND_ASIDE),
            Ballot("vcse", tally.AGREE),
        ]
        decision = tally.decide(tally.CONSENSUS, ballots, [7])
        assert (decision.result, decision.chosen) == (tally.ADOPTED, 7)
        assert decision.tally["counts"] == {"agree": 2, "stand_aside": 1, "block": 0}
        assert decision.tally["blocks"] == []

    def test_one_block_blocks_it_and_its_reason_is_listed(self):
        ballots = [
            Ballot("statutory", tally.AGREE),
            Ballot("statutory", tally.AGREE),
            Ballot("vcse", tally.AGREE),
            Ballot("lived_experience", tally.BLOCK, reason="Nobody asked the people who use it.", by="Rosa"),
        ]
        decision = tally.decide(tally.CONSENSUS, ballots, [7])
        assert (decision.result, decision.chosen) == (tally.BLOCKED, None)
        assert decision.tally["blocks"] == [
            {
                "voice": "lived_experience",
                "by": "Rosa",
                "reason": "Nobody asked the people who use it.",
                "status": "",
                "note": "",
            }
        ]

    def test_a_block_without_a_name_is_listed_by_its_voice(self):
        decision = tally.decide(tally.CONSENSUS, [Ballot("vcse", tally.BLOCK, reason="Too soon.")], [1])
        assert decision.tally["blocks"][0]["by"] == "VCSE"

    def test_positions_of_other_methods_are_ignored(self):
        found = tally.consensus([Ballot("vcse", tally.VOTE, option=1), Ballot("vcse", tally.AGREE)])
        assert found.counts == {"agree": 1, "stand_aside": 0, "block": 0}
        assert not found.blocked


class TestConsent:
    def test_adopted_with_no_objection(self):
        decision = tally.decide(tally.CONSENT, [Ballot("vcse", tally.CONSENT_GIVEN)], [3])
        assert (decision.result, decision.chosen) == (tally.ADOPTED, 3)
        assert decision.tally["counts"] == {"consent": 1, "object": 0}

    def test_cannot_be_decided_while_an_objection_is_open(self):
        ballots = [
            Ballot("vcse", tally.CONSENT_GIVEN),
            Ballot("statutory", tally.OBJECT, reason="Budget unclear", objection=tally.OPEN),
        ]
        assert len(tally.consent(ballots).open_objections) == 1
        with pytest.raises(tally.OpenObjectionsError):
            tally.decide(tally.CONSENT, ballots, [3])

    def test_adopted_once_objections_are_resolved_or_recorded(self):
        ballots = [
            Ballot("vcse", tally.OBJECT, reason="Too fast", objection=tally.RESOLVED, note="Timeline moved"),
            Ballot("statutory", tally.OBJECT, reason="Cost", objection=tally.RECORDED, note="Goes ahead", by="ICB"),
        ]
        decision = tally.decide(tally.CONSENT, ballots, [3])
        assert (decision.result, decision.chosen) == (tally.ADOPTED, 3)
        assert [(o["by"], o["status"], o["note"]) for o in decision.tally["objections"]] == [
            ("VCSE", "resolved", "Timeline moved"),
            ("ICB", "recorded", "Goes ahead"),
        ]


class TestBalancedVote:
    def test_each_sector_carries_equal_weight_whatever_its_size(self):
        # Six VCSE members vote A; one statutory member and one lived-experience member vote B.
        ballots = [vote("vcse", 1) for _ in range(6)] + [vote("statutory", 2), vote("lived_experience", 2)]
        result = tally.balanced_vote(ballots, [1, 2])
        assert result.raw == {1: 6, 2: 2}
        assert result.weights == {1: Fraction(1), 2: Fraction(2)}
        assert (result.winner, result.raw_winner, result.differs) == (2, 1, True)
        assert result.voters == {"statutory": 1, "vcse": 6, "lived_experience": 1}
        assert (result.share(1), result.share(2)) == (Decimal("33.3"), Decimal("66.7"))

    def test_a_sector_split_shares_its_weight(self):
        ballots = [vote("vcse", 1), vote("vcse", 1), vote("vcse", 2), vote("statutory", 2)]
        result = tally.balanced_vote(ballots, [1, 2, 3])
        assert result.weights == {1: Fraction(2, 3), 2: Fraction(4, 3), 3: Fraction(0)}
        assert result.winner == 2 and result.raw_winner is None  # raw: 2 against 2

    def test_equal_top_weights_are_a_tie(self):
        decision = tally.decide(tally.BALANCED_VOTE, [vote("vcse", 1), vote("statutory", 2)], [1, 2])
        assert (decision.result, decision.chosen) == (tally.TIED, None)
        assert decision.tally["winner"] is None

    def test_the_tally_keeps_raw_counts_and_shares_beside_each_other(self):
        ballots = [vote("vcse", 1), vote("vcse", 1), vote("statutory", 2), vote("other", 2)]
        decision = tally.decide(tally.BALANCED_VOTE, ballots, [1, 2])
        assert decision.result == tally.ADOPTED and decision.chosen == 2
        assert decision.tally["options"] == [
            {"id": 1, "raw": 2, "weight": "1", "share": "33.3"},
            {"id": 2, "raw": 2, "weight": "2", "share": "66.7"},
        ]
        assert decision.tally["voters"] == {"statutory": 1, "vcse": 2, "other": 1}
        assert decision.tally["differs"] is True  # the raw count is a tie

    def test_no_votes_is_a_tie_with_nothing_shared(self):
        result = tally.balanced_vote([], [1, 2])
        assert result.winner is None and result.total_weight == 0 and result.share(1) == Decimal("0.0")

    def test_a_vote_for_an_option_of_another_decision_is_refused(self):
        with pytest.raises(ValueError, match="not part of this decision"):
            tally.balanced_vote([vote("vcse", 99)], [1, 2])


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="Unknown method"):
        tally.decide("coin_toss", [], [1])


class TestQuorum:
    def test_met_by_one_statutory_and_one_vcse_member(self):
        ballots = [Ballot("statutory", tally.AGREE), Ballot("vcse", tally.AGREE)]
        assert tally.quorum_problems(ballots, require_lived_experience=False) == []

    def test_names_each_missing_voice(self):
        assert tally.quorum_problems([Ballot("statutory", tally.AGREE)], require_lived_experience=False) == [
            "The quorum is not met: no VCSE member has responded"
        ]
        assert tally.quorum_problems([], require_lived_experience=True) == [
            "The quorum is not met: no statutory member has responded",
            "The quorum is not met: no VCSE member has responded",
            "The quorum is not met: nobody with lived experience has responded",
        ]

    def test_lived_experience_counts_from_any_voice(self):
        ballots = [Ballot("statutory", tally.AGREE), Ballot("vcse", tally.AGREE, lived_experience=True)]
        assert tally.quorum_problems(ballots, require_lived_experience=True) == []
        without = [Ballot("statutory", tally.AGREE), Ballot("vcse", tally.AGREE)]
        assert tally.quorum_problems(without, require_lived_experience=True) == [
            "The quorum is not met: nobody with lived experience has responded"
        ]


def test_the_room_counts_voices_and_lived_experience():
    ballots = [
        Ballot("statutory", tally.AGREE),
        Ballot("vcse", tally.AGREE, lived_experience=True),
        Ballot("vcse", tally.AGREE),
        Ballot("lived_experience", tally.AGREE),
    ]
    assert tally.room(ballots) == {
        "statutory": 1,
        "vcse": 2,
        "lived_experience": 1,
        "other": 0,
        "with_lived_experience": 2,
        "total": 4,
    }


ballots_strategy = st.lists(
    st.tuples(st.sampled_from(tally.VOICES), st.integers(min_value=1, max_value=4)), min_size=0, max_size=25
)


@settings(max_examples=5000, deadline=None)
@given(
    ballots=ballots_strategy,
    sector=st.sampled_from(tally.VOICES),
    copies=st.integers(min_value=2, max_value=4),
)
def test_duplicating_every_member_of_one_sector_never_changes_the_balanced_result(ballots, sector, copies):
    options = [1, 2, 3, 4]
    before = [vote(voice, option) for voice, option in ballots]
    after = [b for b in before if b.voice != sector] + [b for b in before if b.voice == sector] * copies
    first, second = tally.balanced_vote(before, options), tally.balanced_vote(after, options)
    assert second.weights == first.weights
    assert second.winner == first.winner
    decided = tally.decide(tally.BALANCED_VOTE, after, options)
    assert (decided.result, decided.chosen) == (tally.decide(tally.BALANCED_VOTE, before, options).result, first.winner)


@settings(max_examples=500, deadline=None)
@given(ballots=ballots_strategy)
def test_each_voice_present_carries_exactly_one_unit_of_weight(ballots):
    result = tally.balanced_vote([vote(voice, option) for voice, option in ballots], [1, 2, 3, 4])
    assert sum(result.weights.values()) == len({voice for voice, _ in ballots}) == result.total_weight
