"""Brackenmoor: the fictional place the demo loads. Every name here is made up."""

from .organisations import OTHERS, STATUTORY, DemoOrganisation
from .vcse import VCSE

AREAS = [
    "Brackenmoor City Centre",
    "Northbank",
    "Eastfield",
    "Quarry Hill",
    "Canal Side",
    "Fellside Town",
    "Upper Dale",
    "Lower Dale",
    "Kestrel Moor",
]


ORGANISATIONS: list[DemoOrganisation] = [*STATUTORY, *VCSE, *OTHERS]


PARTNERSHIP = {
    "slug": "brackenmoor-together",
    "name": "Brackenmoor Together",
    "place": "Brackenmoor and Fellside",
    "description": "The health and care partnership where the NHS, both councils and the voluntary sector "
    "decide priorities and commission services together.",
    "coordinator": "dee.collins@brackenmoor-cvs.example",
}

# People who bring lived experience and represent no organisation.
LIVED_EXPERIENCE = [
    ("lived.experience@demo.example", "Rosa Delgado"),
    ("jamie.lee@demo.example", "Jamie Lee"),
    ("winston.clarke@demo.example", "Winston Clarke"),
]

PLATFORM_ADMIN = ("admin@cocommission.example", "Morgan Admin")

DEMO_PASSWORD = "cocommission-demo"

# One login per role, printed by `make demo`.
LOGINS = [
    ("VCSE admin (The Lantern Theatre Food Bank)", "sam.okoro@lantern-theatre.example"),
    ("VCSE member (The Lantern Theatre Food Bank)", "jo.whitfield@lantern-theatre.example"),
    ("VCSE admin of another organisation (Second Wind)", "kit.ramsay@second-wind.example"),
    ("Commissioner (NHS Brackenmoor ICB)", "priya.shah@brackenmoor-icb.example"),
    ("Partnership coordinator (Brackenmoor Together)", "dee.collins@brackenmoor-cvs.example"),
    ("Lived experience member (no organisation)", "lived.experience@demo.example"),
    ("Platform admin", PLATFORM_ADMIN[0]),
]

# More people, so every organisation of some size has more than one voice.
EXTRA_PEOPLE = [
    ("femi.adeyemi@brackenmoor-icb.example", "Femi Adeyemi", "brackenmoor-icb", "member"),
    ("lucy.brennan@brackenmoor-council.example", "Lucy Brennan", "brackenmoor-city-council", "member"),
    ("ian.holt@fellside-council.example", "Ian Holt", "fellside-district-council", "member"),
    ("zara.khan@brackenmoor-health.example", "Zara Khan", "brackenmoor-community-health", "member"),
    ("neil.parry@moorland-homes.example", "Neil Parry", "moorland-homes-and-care", "member"),
    ("chloe.fenwick@brackenmoor-mind.example", "Chloe Fenwick", "brackenmoor-mind", "member"),
    ("sean.gallagher@ca-brackenmoor.example", "Seán Gallagher", "brackenmoor-citizens-advice", "member"),
    ("amina.yusuf@hospice-at-home.example", "Amina Yusuf", "brackenmoor-hospice-at-home", "member"),
    ("olly.webb@brackenmoor-cvs.example", "Olly Webb", "brackenmoor-cvs", "member"),
    ("hannah.roe@safe-haven.example", "Hannah Roe", "safe-haven-brackenmoor", "member"),
]

# Partnership members who speak for an organisation (besides the coordinator).
PARTNERSHIP_REPRESENTATIVES = [
    "priya.shah@brackenmoor-icb.example",
    "gareth.lloyd@brackenmoor-council.example",
    "ruth.ellery@fellside-council.example",
    "owen.price@brackenmoor-health.example",
    "maggie.thornton@heathervale.example",
    "kit.ramsay@second-wind.example",
    "sam.okoro@lantern-theatre.example",
    "farah.iqbal@saheli.example",
    "alan.reeve@carers-circle.example",
    "josh.kerr@brackenmoor-mind.example",
]

# Relationship timeline entries: (days ago, kind, statutory slug, other slug, summary, partnership business)
TIMELINE = [
    (
        3,
        "meeting",
        "brackenmoor-icb",
        "heathervale-shared-lives",
        "Quarterly review of the Shared Lives placements; agreed to look at a longer-term arrangement.",
        True,
    ),
    (
        12,
        "call",
        "brackenmoor-icb",
        "second-wind-recovery",
        "Talked through waiting times for the recovery café and the peer mentor training plan.",
        False,
    ),
    (
        20,
        "note",
        "brackenmoor-city-council",
        "lantern-theatre-food-bank",
        "The food bank's winter demand is up by a third on last year; council to share warm spaces data.",
        True,
    ),
    (
        34,
        "meeting",
        "brackenmoor-icb",
        "saheli-wellbeing",
        "Co-design session on culturally safe perinatal mental health support.",
        True,
    ),
    (
        41,
        "email",
        "fellside-district-council",
        "fellside-rural-transport",
        "Confirmed the minibus grant continues to March; asked about the cost of running costs rising.",
        False,
    ),
    (
        55,
        "meeting",
        "brackenmoor-city-council",
        "brackenmoor-carers-circle",
        "Carers' breaks: agreed to bring carers with lived experience to the next design session.",
        True,
    ),
    (
        63,
        "call",
        "brackenmoor-icb",
        "lantern-theatre-food-bank",
        "Introductory call: the food bank's link workers see many people waiting for mental health support.",
        False,
    ),
    (
        90,
        "note",
        "brackenmoor-community-health",
        "brackenmoor-hospice-at-home",
        "Joint discharge pathway working well; hospice asked for core costs to be recognised in the next term.",
        False,
    ),
    (
        120,
        "meeting",
        "brackenmoor-icb",
        "heathervale-shared-lives",
        "First meeting with the new Shared Lives manager; handed over the history of the service.",
        False,
    ),
    (
        150,
        "email",
        "brackenmoor-city-council",
        "kestrel-street-mutual-aid",
        "Micro-grant for the winter lifts scheme confirmed: £500, one page report only.",
        False,
    ),
]
