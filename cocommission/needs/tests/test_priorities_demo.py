"""The demo place's indicators (demo values, labelled) and its three priorities with mixed
evidence; loading twice adds nothing."""

import pytest
from django.urls import reverse

from cocommission.accounts.models import User
from cocommission.commissioning.models import Opportunity
from cocommission.demo.together import needs as demo_needs
from cocommission.needs.models import Indicator, IndicatorImport, IndicatorValue, Priority

pytestmark = pytest.mark.django_db


def test_two_indicators_of_demo_values_over_several_years_and_places(demo):
    indicators = Indicator.objects.filter(partnership=demo.partnership).order_by("name")
    assert [(i.name, i.unit, i.is_demo) for i in indicators] == [
        ("Adults who feel lonely often or always", "percent", True),
        ("Emergency hospital admissions for falls, aged 65 and over", "per_100000", True),
    ]
    for indicator in indicators:
        values = IndicatorValue.objects.filter(indicator=indicator)
        assert values.values("period").distinct().count() == 5
        assert values.values("geography_code").distinct().count() == 6
        assert "demo values" in indicator.source
        assert not values.filter(lower_ci__isnull=True).exists()
    # Imported as a coordinator would: through an upload.
    assert IndicatorImport.objects.get(partnership=demo.partnership).status == "done"


def test_three_priorities_with_mixed_evidence(demo):
    priorities = {p.title: p for p in Priority.objects.filter(partnership=demo.partnership)}
    lonely = priorities["Fewer people lonely and cut off"]
    waiting = priorities["Support for people while they wait for mental health care"]
    falls = priorities["Fewer falls at home for people over 65"]
    assert (lonely.status, waiting.status, falls.status) == ("agreed", "agreed", "proposed")
    # Stories and figures; stories only; figures only.
    assert lonely.stories.count() >= 2 and lonely.indicators.count() == 1
    assert waiting.stories.count() >= 2 and waiting.indicators.count() == 0
    assert falls.stories.count() == 0 and falls.indicators.count() == 1
    for priority in priorities.values():
        assert not priority.stories.exclude(status="published").exists()
    assert all(any(t.name == "Loneliness and isolation" for t in s.themes.all()) for s in lonely.stories.all())
    assert Opportunity.objects.get(priority=lonely).title == "Winter warmth micro-grants"
    assert Opportunity.objects.get(priority=waiting).title == "Support while you wait: community wellbeing grants"


def test_loading_again_adds_nothing(demo):
    counts = (Indicator.objects.count(), IndicatorValue.objects.count(), Priority.objects.count())
    demo_needs.load(demo)
    assert (Indicator.objects.count(), IndicatorValue.objects.count(), Priority.objects.count()) == counts


def test_the_coordinator_sees_stories_beside_the_chart(demo, client, settings):
    settings.COCOMMISSION_MFA_REQUIRED = False
    lonely = Priority.objects.get(title="Fewer people lonely and cut off")
    client.force_login(User.objects.get(email=demo_needs.COORDINATOR))
    body = client.get(reverse("needs:priority_detail", args=[demo.partnership.slug, lonely.pk])).content.decode()
    assert "What people told us" in body and 'role="img"' in body and "Demo values" in body
