from decimal import Decimal

from cocommission.core.templatetags.money import format_gbp, gbp, gbp_whole


def test_gbp_shows_pounds_pence_and_thousands() -> None:
    assert gbp(Decimal("1234.5")) == "£1,234.50"
    assert gbp(Decimal("500")) == "£500.00"
    assert gbp(Decimal("-12.345")) == "-£12.35"


def test_gbp_whole_drops_zero_pence_only() -> None:
    assert gbp_whole(Decimal("10000")) == "£10,000"
    assert gbp_whole(Decimal("10000.5")) == "£10,000.50"


def test_empty_or_nonsense_is_blank() -> None:
    assert format_gbp(None) == ""
    assert format_gbp("") == ""
    assert format_gbp("lots") == ""
