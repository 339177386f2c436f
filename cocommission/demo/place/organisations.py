"""The demo place's statutory bodies, private companies and others, and the shape of every
demo organisation."""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    kind: str
    legal_form: str
    income: Decimal | None
    areas: tuple[str, ...]
    description: str
    charity_number: str | None = None
    company_number: str | None = None
    sector_seat: str = ""  # non-empty: a member of the Brackenmoor Together partnership, with this seat
    people: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)  # (email, full name, role)


D = Decimal
CITY = ("Brackenmoor City Centre", "Northbank", "Eastfield", "Quarry Hill", "Canal Side")
FELLS = ("Fellside Town", "Upper Dale", "Lower Dale", "Kestrel Moor")
ALL = CITY + FELLS

STATUTORY: list[DemoOrganisation] = [
    # Statutory bodies
    DemoOrganisation(
        "brackenmoor-icb",
        "NHS Brackenmoor Integrated Care Board",
        "statutory",
        "nhs_body",
        None,
        ALL,
        "Plans and pays for NHS services for the 620,000 people of Brackenmoor and Fellside.",
        sector_seat="Integrated care board",
        people=(
            ("priya.shah@brackenmoor-icb.example", "Priya Shah", "admin"),
            ("tom.okafor@brackenmoor-icb.example", "Tom Okafor", "member"),
            ("helen.marsh@brackenmoor-icb.example", "Helen Marsh", "member"),
        ),
    ),
    DemoOrganisation(
        "brackenmoor-city-council",
        "Brackenmoor City Council",
        "statutory",
        "local_authority",
        None,
        CITY,
        "The council for Brackenmoor city: adult social care, public health, housing and more.",
        sector_seat="City council",
        people=(
            ("gareth.lloyd@brackenmoor-council.example", "Gareth Lloyd", "admin"),
            ("nadia.begum@brackenmoor-council.example", "Nadia Begum", "member"),
        ),
    ),
    DemoOrganisation(
        "fellside-district-council",
        "Fellside District Council",
        "statutory",
        "local_authority",
        None,
        FELLS,
        "The council for the market towns and dales of Fellside.",
        sector_seat="District council",
        people=(("ruth.ellery@fellside-council.example", "Ruth Ellery", "admin"),),
    ),
    DemoOrganisation(
        "brackenmoor-community-health",
        "Brackenmoor Community Health NHS Trust",
        "statutory",
        "nhs_body",
        None,
        ALL,
        "Community nursing, therapies and mental health services.",
        sector_seat="NHS trust",
        people=(("owen.price@brackenmoor-health.example", "Owen Price", "admin"),),
    ),
]

OTHERS: list[DemoOrganisation] = [
    # Private and other
    DemoOrganisation(
        "brightwell-home-care",
        "Brightwell Home Care Ltd",
        "private",
        "company_shares",
        D("3400000"),
        CITY,
        "A home care agency delivering 9,000 hours of care a week.",
        company_number="08765432",
        sector_seat="Home care providers",
        people=(("linda.grey@brightwell.example", "Linda Grey", "admin"),),
    ),
    DemoOrganisation(
        "fellside-gp-federation",
        "Fellside GP Federation Ltd",
        "private",
        "company_guarantee",
        D("12800000"),
        FELLS,
        "Eleven GP practices working together.",
        company_number="09876543",
        people=(("dr.amy.ho@fellside-gps.example", "Amy Ho", "admin"),),
    ),
    DemoOrganisation(
        "brackenmoor-college",
        "Brackenmoor College",
        "other",
        "other_public",
        D("31000000"),
        ALL,
        "Further education, adult learning and health and care apprenticeships.",
        sector_seat="Education",
        people=(("paul.everett@brackenmoor-college.example", "Paul Everett", "admin"),),
    ),
    DemoOrganisation(
        "quarry-hill-youth-club",
        "Quarry Hill Youth Club",
        "vcse",
        "unincorporated",
        D("12500"),
        ("Quarry Hill",),
        "Open-access youth club three nights a week.",
        people=(("dan.boyle@qh-youth.example", "Dan Boyle", "admin"),),
    ),
    DemoOrganisation(
        "eastfield-community-association",
        "Eastfield Community Association",
        "vcse",
        "cio",
        D("45000"),
        ("Eastfield",),
        "Runs the Eastfield community centre and its groups.",
        charity_number="1150987",
        people=(("sue.hall@eastfield-ca.example", "Sue Hall", "admin"),),
    ),
]
