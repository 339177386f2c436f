"""The demo place's population indicators (made-up values, labelled as demo values) and three
priorities with mixed evidence: one with stories and figures, one with stories only, and one
with figures only. Stories are looked up among the published demo stories (loaded before this).
Idempotent: what exists already is left alone."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Q

from cocommission.commissioning.models import Opportunity
from cocommission.core import audit
from cocommission.core.models import AuditEvent
from cocommission.needs.models import Indicator, Priority, Story
from cocommission.needs.services import indicators as indicator_services
from cocommission.needs.services import priorities as priority_services

from .world import TogetherDemo

COORDINATOR = "dee.collins@brackenmoor-cvs.example"
PERIODS = ("2019/20", "2020/21", "2021/22", "2022/23", "2023/24")
# (code, name, loneliness in 2019/20 (%), change a year, falls admissions in 2019/20 per 100,000, change a year)
PLACES = (
    ("DEMO-BCC", "Brackenmoor City Centre", "8.1", "0.4", 2050, 35),
    ("DEMO-NBK", "Northbank", "6.9", "0.2", 1890, 20),
    ("DEMO-EFD", "Eastfield", "9.4", "0.7", 2310, 60),
    ("DEMO-CSD", "Canal Side", "7.2", "0.1", 1960, -15),
    ("DEMO-FST", "Fellside Town", "6.2", "0.3", 2140, 45),
    ("DEMO-UDL", "Upper Dale", "7.8", "0.6", 2420, 70),
)
LONELINESS = "Adults who feel lonely often or always"
FALLS = "Emergency hospital admissions for falls, aged 65 and over"
INDICATORS = {
    LONELINESS: ("Brackenmoor Residents Survey (demo values)", "percent"),
    FALLS: ("Hospital admissions data (demo values)", "per_100000"),
}


def _loneliness(base: str, step: str, year: int) -> tuple[Decimal, Decimal, Decimal]:
    value = Decimal(base) + Decimal(step) * year
    return value, value - Decimal("1.4"), value + Decimal("1.6")


def _falls(base: int, step: int, year: int) -> tuple[Decimal, Decimal, Decimal]:
    # 2020/21 was lower everywhere: fewer people went to hospital in the pandemic.
    value = Decimal(base + step * year - (240 if year == 1 else 0))
    return value, value - 95, value + 100


def indicators_csv(names: list[str]) -> str:
    """The demo values of these indicators as a CSV file, as a coordinator would upload it."""
    lines = ["indicator,source,geography_code,geography_name,period,value,unit,lower_ci,upper_ci"]
    for name in names:
        source, unit = INDICATORS[name]
        for code, place, lonely, lonely_step, falls, falls_step in PLACES:
            for year, period in enumerate(PERIODS):
                if name == LONELINESS:
                    value, lower, upper = _loneliness(lonely, lonely_step, year)
                else:
                    value, lower, upper = _falls(falls, falls_step, year)
                lines.append(f'"{name}",{source},{code},{place},{period},{value},{unit},{lower},{upper}')
    return "\r\n".join(lines) + "\r\n"


def _load_indicators(demo: TogetherDemo) -> None:
    have = set(Indicator.objects.filter(partnership=demo.partnership).values_list("name", flat=True))
    missing = [name for name in INDICATORS if name not in have]
    if not missing:
        return
    indicator_services.start_import(
        actor=demo.person(COORDINATOR),
        partnership=demo.partnership,
        upload=ContentFile(indicators_csv(missing).encode(), name="brackenmoor-indicators-demo.csv"),
        in_background=False,
        demo=True,
    )


def _stories(demo: TogetherDemo, words: tuple[str, ...], limit: int) -> list[Story]:
    """Published stories about these words: first those with a matching theme, then those that
    mention them."""
    published = Story.objects.filter(partnership=demo.partnership, status=Story.Status.PUBLISHED)
    by_theme, by_text = Q(), Q()
    for word in words:
        by_theme |= Q(themes__name__icontains=word)
        by_text |= Q(published_title__icontains=word) | Q(published_text__icontains=word)
    found = list(published.filter(by_theme).distinct().order_by("created_at", "pk")[:limit])
    if len(found) < limit:
        more = published.filter(by_text).exclude(pk__in=[s.pk for s in found]).distinct()
        found += list(more.order_by("created_at", "pk")[: limit - len(found)])
    return found


@dataclass(frozen=True)
class DemoPriority:
    title: str
    need: str
    by: str
    words: tuple[str, ...]  # stories whose title, text or themes mention one of these
    indicators: tuple[str, ...]
    agreed: bool
    opportunity: str = ""  # the demo opportunity that serves it


PRIORITIES = (
    DemoPriority(
        title="Fewer people lonely and cut off",
        need="More adults in Eastfield and the Dales say they feel lonely often or always, and it is rising "
        "faster there than anywhere else in the place. People who live alone, older people and carers tell us "
        "they can go days without talking to anyone, and that the groups that exist are hard to reach.",
        by="farah.iqbal@saheli.example",
        words=("lonel", "isolat", "on my own", "no one to talk"),
        indicators=(LONELINESS,),
        agreed=True,
        opportunity="Winter warmth micro-grants",
    ),
    DemoPriority(
        title="Support for people while they wait for mental health care",
        need="People wait months for talking therapies and community mental health support. While they wait "
        "many get worse, and people from some communities wait longest. They ask for someone to talk to, and "
        "for somebody to tell them where they are in the queue.",
        by="josh.kerr@brackenmoor-mind.example",
        words=("mental health", "waiting list", "therapy", "counsell", "anxiety"),
        indicators=(),
        agreed=True,
        opportunity="Support while you wait: community wellbeing grants",
    ),
    DemoPriority(
        title="Fewer falls at home for people over 65",
        need="Emergency admissions for falls among people aged 65 and over are highest in Upper Dale and "
        "Eastfield and have risen since 2020/21. So far the figures are the evidence: we want to hear from "
        "the people behind them.",
        by="owen.price@brackenmoor-health.example",
        words=(),
        indicators=(FALLS,),
        agreed=False,
    ),
)


def _link_opportunity(demo: TogetherDemo, priority: Priority, title: str) -> None:
    """The demo opportunities are past their draft, when the opportunity form could link them."""
    opportunity = Opportunity.objects.filter(partnership=demo.partnership, title=title, priority__isnull=True).first()
    if opportunity is None:
        return
    Opportunity.objects.filter(pk=opportunity.pk).update(priority=priority)
    audit.record(
        actor=None,
        action=AuditEvent.Action.UPDATE,
        instance=opportunity,
        changes={"priority": [None, priority.pk]},
        organisation_id=opportunity.funder_id,
        partnership_id=demo.partnership.pk,
    )


def _load_priorities(demo: TogetherDemo) -> None:
    coordinator = demo.person(COORDINATOR)
    for spec in PRIORITIES:
        if Priority.objects.filter(partnership=demo.partnership, title=spec.title).exists():
            continue
        priority = priority_services.propose_priority(
            actor=demo.person(spec.by), partnership=demo.partnership, title=spec.title, need=spec.need
        )
        stories = _stories(demo, spec.words, limit=4) if spec.words else []
        indicators = list(Indicator.objects.filter(partnership=demo.partnership, name__in=spec.indicators))
        priority_services.set_evidence(actor=coordinator, priority=priority, stories=stories, indicators=indicators)
        if spec.agreed and (stories or indicators):
            priority = priority_services.agree_priority(actor=coordinator, priority=priority)
            if spec.opportunity:
                _link_opportunity(demo, priority, spec.opportunity)


def load(demo: TogetherDemo) -> None:
    _load_indicators(demo)
    _load_priorities(demo)
