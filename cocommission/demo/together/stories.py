"""Community stories in the demo place: 30 published, of varied places, groups and themes, each
told with consent and anonymised by the coordinator; and 2 waiting for moderation, one with the
personal details a moderator has to remove.

Stories go through the story services: members' through tell_member_story, the public's through
tell_public_story (each from its own documentation network address, so the rate limit is not
reached), then publish_story with the anonymiser's suggestions applied. Keyed by title: a story
already there is left as it is.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from cocommission.needs import anonymise
from cocommission.needs.models import Story, Theme
from cocommission.needs.selectors.stories import place_names_for
from cocommission.needs.services.stories import StoryDetails, publish_story, tell_member_story, tell_public_story

from .world import TogetherDemo

COORDINATOR = "dee.collins@brackenmoor-cvs.example"
ROSA = "lived.experience@demo.example"
JAMIE = "jamie.lee@demo.example"
WINSTON = "winston.clarke@demo.example"
SAM = "sam.okoro@lantern-theatre.example"
FARAH = "farah.iqbal@saheli.example"
ALAN = "alan.reeve@carers-circle.example"
JOSH = "josh.kerr@brackenmoor-mind.example"
MAGGIE = "maggie.thornton@heathervale.example"
KIT = "kit.ramsay@second-wind.example"
PUBLIC = ""

LONELINESS = "Loneliness and isolation"
MENTAL_HEALTH = "Mental health"
TRAVEL = "Getting to services"
MONEY = "Money and debt"
HOUSING = "Housing"
CARERS = "Carers"
FOOD = "Food"
WAITING = "Waiting times"
LISTENED_TO = "Being listened to"
YOUNG = "Children and young people"


@dataclass(frozen=True)
class DemoStory:
    title: str
    text: str
    place: str
    group: str
    themes: tuple[str, ...]
    teller: str  # an email, or PUBLIC
    public: bool = True  # consent to public pages
    reports: bool = False  # consent to quotes in reports
    waiting: bool = False


STORIES = [
    DemoStory(
        "Eleven weeks for a call back",
        "I waited eleven weeks for a call back about my hip. My neighbour Maureen drove me to the "
        "drop-in at the library in the end, and the volunteer there sorted it in a morning.\n"
        "Without her I would not have left the house that month.",
        "Eastfield",
        "Older people",
        (WAITING, LONELINESS),
        ROSA,
        reports=True,
    ),
    DemoStory(
        "The bus that stopped coming",
        "Since the evening bus stopped running I cannot get to the lunch club or back. Three of us used "
        "to go together. Now we ring each other instead, when we remember.",
        "Upper Dale",
        "Older people",
        (TRAVEL, LONELINESS),
        PUBLIC,
    ),
    DemoStory(
        "Caring for my son and working nights",
        "My son Daniel is autistic and I work nights so I can be there in the day. The carers' group is "
        "the only place nobody asks me why I look tired.\n"
        "When the group lost its room for a month I realised how much I lean on it.",
        "Northbank",
        "Carers",
        (CARERS, MONEY),
        ALAN,
        reports=True,
    ),
    DemoStory(
        "Food bank on a Tuesday",
        "A mum came in with two children in school uniform and said she had never needed help before. "
        "Her Universal Credit had been stopped for five weeks after a form went missing. We gave her "
        "food, but what she needed was someone to ring the office with her.",
        "Canal Side",
        "Families with young children",
        (FOOD, MONEY),
        SAM,
    ),
    DemoStory(
        "Nobody asked what I wanted",
        "At my review they talked to my support worker the whole time. I had written down what I wanted "
        "to say. Next time I want them to read my list first.",
        "Brackenmoor City Centre",
        "People with a learning disability",
        (LISTENED_TO,),
        PUBLIC,
    ),
    DemoStory(
        "Finding the right words",
        "One of our members, a grandmother, had been low for a year. The surgery offered tablets but "
        "there was no one to talk to her in Urdu. Our Tuesday group gave her somewhere to say it out "
        "loud, and she now helps run it.",
        "Quarry Hill",
        "South Asian women",
        (MENTAL_HEALTH, LISTENED_TO),
        FARAH,
        reports=True,
    ),
    DemoStory(
        "Too young to be a carer",
        "I looked after my mum from when I was twelve. School thought I was lazy because I was late. The"
        " young carers club was the first place where I did not have to explain.",
        "Fellside Town",
        "Young carers",
        (CARERS, YOUNG),
        JAMIE,
    ),
    DemoStory(
        "Back from hospital to a cold flat",
        "When I came home after my fall the heating was off and there was no food in. I live at 14 Moss "
        "Lane and the discharge team said someone would come round that evening. Nobody did, and my "
        "daughter rang for help from the other end of the country.",
        "Lower Dale",
        "Older people",
        (LONELINESS, HOUSING),
        PUBLIC,
        reports=True,
    ),
    DemoStory(
        "A warm room and a cup of tea",
        "Our warm space opened in November. A man who had not spoken to anyone for a fortnight came "
        "every day, and by January he was making the tea. He says he comes for the soup, but we know "
        "better.",
        "Kestrel Moor",
        "Older people",
        (LONELINESS, FOOD),
        MAGGIE,
    ),
    DemoStory(
        "Nine months for counselling",
        "A seventeen-year-old was told the wait for counselling was nine months. By then she would be "
        "too old for the young people's service and have to start again on the adult list.",
        "Northbank",
        "Young people",
        (MENTAL_HEALTH, WAITING),
        JOSH,
        reports=True,
    ),
    DemoStory(
        "The form was forty pages",
        "My disability benefit form took me three weeks to fill in, with help. I was turned down, then "
        "got it on appeal a year later. The advice worker at the surgery made the difference.",
        "Eastfield",
        "Disabled people",
        (MONEY, LISTENED_TO),
        WINSTON,
    ),
    DemoStory(
        "Friday nights at the recovery café",
        "I have been clean for two years. The recovery café on a Friday night is where I go when the "
        "weekend feels long. When it closed over Christmas two of our regulars relapsed.",
        "Canal Side",
        "People in recovery",
        (MENTAL_HEALTH,),
        KIT,
    ),
    DemoStory(
        "Moved three times in a year",
        "We were moved from one temporary flat to another three times. Each time my children changed "
        "school. My eldest stopped talking to anyone for months.",
        "Brackenmoor City Centre",
        "Families with young children",
        (HOUSING, YOUNG),
        PUBLIC,
    ),
    DemoStory(
        "The nurse who always rang back",
        "When my husband was dying, the hospice at home nurse rang back every time, even at night. That "
        "is what I remember: someone always answered.",
        "Upper Dale",
        "Older people",
        (WAITING, LISTENED_TO),
        ROSA,
    ),
    DemoStory(
        "Learning English, finding work",
        "I was a teacher before I came here. I waited two years for English classes near my home. Now I "
        "volunteer at the school reading with children and I hope to train again.",
        "Quarry Hill",
        "Refugees and asylum seekers",
        (MONEY, TRAVEL),
        PUBLIC,
    ),
    DemoStory(
        "When the pharmacy stopped delivering",
        "The pharmacy stopped delivering to our village. I do not drive and the bus comes twice a day. "
        "My neighbour Mr Hughes collects my prescriptions, but he is eighty-four himself.",
        "Kestrel Moor",
        "Disabled people",
        (TRAVEL,),
        PUBLIC,
        reports=True,
    ),
    DemoStory(
        "The men’s shed",
        "After I retired I did not leave the house for weeks. A friend dragged me to the men's shed. We "
        "fix bikes for the children's charity and nobody talks about feelings, but we all feel better.",
        "Lower Dale",
        "Men over 50",
        (LONELINESS, MENTAL_HEALTH),
        WINSTON,
    ),
    DemoStory(
        "Court papers on the doormat",
        "Court papers about rent arrears arrived the week my hours were cut. The advice service helped "
        "me set up a payment plan in one appointment. I wish I had known about it before it got that "
        "far.",
        "Northbank",
        "Working families",
        (MONEY, HOUSING),
        PUBLIC,
    ),
    DemoStory(
        "One night a week at the youth club",
        "The youth club used to be open four nights. Now it is one. The young people told us the park is"
        " where they go instead, and they do not feel safe there.",
        "Fellside Town",
        "Young people",
        (YOUNG, MENTAL_HEALTH),
        JOSH,
    ),
    DemoStory(
        "Diabetes in two languages",
        "Our diabetes group runs in Urdu and English. The women bring their own recipes and the nurse "
        "changes the advice to fit. More of them go to their check-ups now because they trust her.",
        "Quarry Hill",
        "South Asian women",
        (TRAVEL, LISTENED_TO),
        FARAH,
    ),
    DemoStory(
        "Four hours a week",
        "My wife has dementia. The day centre gave me four hours a week to shop and see the doctor. When"
        " it closed I became a prisoner in my own home.",
        "Eastfield",
        "Carers",
        (CARERS, LONELINESS),
        PUBLIC,
        reports=True,
    ),
    DemoStory(
        "Sleeping in the car",
        "I slept in my car for two months after my relationship ended. I went to work every day and "
        "nobody knew. The housing team said I was not a priority because I had somewhere to sleep.",
        "Brackenmoor City Centre",
        "People who are homeless",
        (HOUSING,),
        PUBLIC,
    ),
    DemoStory(
        "Drama on the ward",
        "We ran drama sessions on the mental health ward. A man who had not spoken in group for weeks "
        "stood up and read a poem he had written. The staff asked us to come back, but the funding ended"
        " in March.",
        "Canal Side",
        "Adults with mental health needs",
        (MENTAL_HEALTH,),
        SAM,
    ),
    DemoStory(
        "Telling my story eight times",
        "I have told my story to eight different people this year. Every new worker asks the same "
        "questions. Why can they not read what I already said?",
        "Upper Dale",
        "Disabled people",
        (LISTENED_TO, WAITING),
        ROSA,
        reports=True,
    ),
    DemoStory(
        "A hot meal in the holidays",
        "The holiday club gives the children a hot meal and something to do. One boy told us it was the "
        "only cooked dinner he had had all week.",
        "Northbank",
        "Families with young children",
        (FOOD, YOUNG),
        MAGGIE,
    ),
    DemoStory(
        "Forty minutes to chemotherapy",
        "My chemotherapy is forty minutes away by car. The volunteer drivers took me every week for six "
        "months. Taxis would have cost more than my pension.",
        "Kestrel Moor",
        "Older people",
        (TRAVEL,),
        PUBLIC,
    ),
    DemoStory(
        "Met at the gate",
        "When I came out of prison I had a bag and a phone number. The peer mentor met me at the gate. "
        "He had been through it himself, so I listened to him.",
        "Lower Dale",
        "People leaving prison",
        (MENTAL_HEALTH, HOUSING),
        KIT,
        public=False,
    ),
    DemoStory(
        "A child interpreting at the surgery",
        "A woman brought her ten-year-old daughter to interpret at the surgery, about her own "
        "miscarriage. No one offered an interpreter. The daughter cried all the way home.",
        "Brackenmoor City Centre",
        "Refugees and asylum seekers",
        (TRAVEL, LISTENED_TO),
        FARAH,
        public=False,
    ),
    DemoStory(
        "A phone call a week",
        "I volunteer to ring three older people every week. One lady keeps a notebook of what we talk "
        "about so she can tell her son when he visits. She calls it her diary of good days.",
        "Fellside Town",
        "Older people",
        (LONELINESS,),
        JAMIE,
    ),
    DemoStory(
        "Sitting in the dark to pay for power",
        "My electric wheelchair and my oxygen need power all day. The bill doubled last winter. I sat in"
        " the dark in the evenings to save money for the machine.",
        "Eastfield",
        "Disabled people",
        (MONEY, HOUSING),
        WINSTON,
        reports=True,
    ),
    DemoStory(
        "My neighbour’s damp flat",
        "I want to tell you about my neighbour Sarah Jones at 22 Wharf Street, BK3 4QT. Her baby has "
        "been in hospital twice with his chest because of the damp. She has rung the landlord every "
        "week.\n"
        "You can call me on 07700 900456 or email me at worried.neighbour@example.com.",
        "Canal Side",
        "Families with young children",
        (HOUSING, YOUNG),
        PUBLIC,
        waiting=True,
    ),
    DemoStory(
        "Like family at the drop-in",
        "My friend called Doreen goes to the drop-in every Wednesday. She says the staff there are like "
        "family, and she is right.",
        "Northbank",
        "Older people",
        (LONELINESS,),
        ROSA,
        waiting=True,
    ),
]


def _themes(names: tuple[str, ...]) -> list[Theme]:
    return [Theme.objects.get_or_create(name=name)[0] for name in names]


def _stories(demo: TogetherDemo) -> QuerySet[Story]:
    return Story.objects.filter(partnership=demo.partnership)


def load(demo: TogetherDemo) -> None:
    """Tell, and where the story says so publish, every demo story not already there."""
    coordinator = demo.person(COORDINATOR)
    existing = set(_stories(demo).values_list("title", flat=True))
    for number, spec in enumerate(STORIES):
        if spec.title in existing:
            continue
        details = StoryDetails(
            title=spec.title,
            text=spec.text,
            place=spec.place,
            population_group=spec.group,
            themes=_themes(spec.themes),
            consent_partnership=True,
            consent_public=spec.public,
            consent_reports=spec.reports,
        )
        if spec.teller:
            story = tell_member_story(actor=demo.person(spec.teller), partnership=demo.partnership, details=details)
        else:
            address = f"192.0.2.{number + 1}"  # a documentation address (RFC 5737), one for each story
            story = tell_public_story(partnership=demo.partnership, details=details, network_address=address).story
        # Spread the stories over the last few months, oldest first in the list.
        told = demo.today - datetime.timedelta(days=4 * (len(STORIES) - number))
        told_at = datetime.datetime.combine(told, datetime.time(10, 0), tzinfo=datetime.UTC)
        _stories(demo).filter(pk=story.pk).update(created_at=told_at)
        if spec.waiting:
            continue
        places = [*place_names_for(demo.partnership), spec.place]
        publish_story(
            actor=coordinator,
            story=story,
            title=anonymise.anonymise(spec.title, place_names=places),
            text=anonymise.anonymise(spec.text, place_names=places),
            place=spec.place,
            population_group=spec.group,
        )
        _stories(demo).filter(pk=story.pk).update(moderated_at=told_at + datetime.timedelta(days=2))
