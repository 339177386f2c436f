"""Finding the personal details in a story, so a moderator can remove them before anyone else reads it.

Pure functions on text. They suggest; the moderator decides. Emails, phone numbers, postcodes and
house addresses are unambiguous enough that a story cannot be published while any remain. Names
are harder: the rules look for words people put before a name ("my son Jack", "called Sarah",
"Mrs Patel") and for common first names, and leave out the partnership's own place names, so a
moderator can confirm that a flagged word is not someone's name.

False positives cost a moderator's time and teach them to ignore the suggestions, so each rule
prefers missing an unusual name to flagging ordinary capitalised words (days, months, services).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    ADDRESS = "address"
    NAME = "name"


LABELS = {
    Kind.EMAIL: "Email address",
    Kind.PHONE: "Phone number",
    Kind.POSTCODE: "Postcode",
    Kind.ADDRESS: "Address",
    Kind.NAME: "Name",
}
PLACEHOLDERS = {kind: f"[{kind.value}]" for kind in Kind}
# Never published: there is no way these are anything but someone's details.
ALWAYS_REFUSED = (Kind.EMAIL, Kind.PHONE, Kind.POSTCODE, Kind.ADDRESS)


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def placeholder(self) -> str:
        return PLACEHOLDERS[self.kind]


@dataclass(frozen=True)
class Segment:
    """A stretch of text, and the kind of detail it is when it is one."""

    text: str
    kind: Kind | None = None

    @property
    def label(self) -> str:
        return LABELS[self.kind] if self.kind else ""


# --- Emails, phone numbers, postcodes, addresses -------------------------------------------------

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# Groups of digits as people write UK numbers: 07700 900123, (0113) 496 0000, +44 20 7946 0018.
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{1,5}\)?(?:[ -]?\d{2,6}){0,4}(?!\d)")

POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)

STREET_WORDS = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Way|Crescent|Court|Place|Terrace|Gardens|Grove|"
    "Hill|Row|Walk|Square|Mews|View|Rise|Parade|Green|Park|Vale|Fold|Gate|Bank|Croft|Yard|Wharf|Estate"
)
# Words a street name is made of: "Acacia", "St Mary's", "Old Mill".
_STREET_NAME = r"(?:[A-Z][A-Za-z'’]*\.?)"
ADDRESS = re.compile(
    r"\b(?:(?:Flat|Apartment|Apt|Unit)\s+\d+[A-Za-z]?,?\s+)?"
    r"\d{1,4}[A-Za-z]?,?\s+"
    rf"(?:{_STREET_NAME}\s+){{1,3}}(?:{STREET_WORDS})\b"
    # Typed in lower case, only the street words that are not everyday words too ("5 minutes walk").
    r"|\b\d{1,4}[a-z]?,?\s+[a-z]+\s+(?:road|street|avenue|lane|drive|crescent|terrace)\b"
)

LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:com|org|net|uk|info|biz|io|co|me|ly|xyz|online|site|app|top)\b(?:/\S*)?",
    re.IGNORECASE,
)


def contains_link(text: str) -> bool:
    """Whether the text has a web address in it (a full link, www., or a bare domain like example.com)."""
    return bool(LINK.search(text))


_INTERNATIONAL = re.compile(r"\+44\s?(?:\(0\)\s?)?")
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)$", re.IGNORECASE)


def _phones(text: str) -> Iterable[tuple[int, int]]:
    for match in PHONE.finditer(text):
        # The pattern is generous; keep the longest run of its digit groups that is a whole UK
        # number (10 or 11 digits written from the 0), so "07700 900123 2 times" loses the 2.
        prefix = _INTERNATIONAL.match(match.group())
        offset = prefix.end() if prefix else 0
        groups = list(re.finditer(r"\d+", match.group()[offset:]))
        for last in range(len(groups), 0, -1):
            digits = "".join(g.group() for g in groups[:last])
            national = "0" + digits if prefix else digits
            if national.startswith("0") and len(national) in (10, 11) and national[1] != "0":
                yield match.start(), match.start() + offset + groups[last - 1].end()
                break


def _postcodes(text: str) -> Iterable[tuple[int, int]]:
    for match in POSTCODE.finditer(text):
        if not _ORDINAL.search(match.group()):  # "the A1 1st junction" is not a postcode
            yield match.span()


# --- Names -----------------------------------------------------------------------------------------

_NAME = r"(?:Ma?c[A-Z][a-z]+|O['’][A-Z][a-z]+|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
RELATIONS = (
    "son|daughter|husband|wife|partner|mum|mam|mother|dad|father|brother|sister|friend|neighbour|carer|"
    "boy|girl|child|kid|grandson|granddaughter|nan|nana|gran|granny|grandma|grandad|grandmother|"
    "grandfather|aunt|auntie|uncle|cousin|niece|nephew|boyfriend|girlfriend|fiancé|fiancée|colleague|"
    "baby|stepson|stepdaughter|stepdad|stepmum|lodger|flatmate|housemate|support worker|key worker|"
    "social worker|worker|nurse|doctor|teacher|landlord|landlady|mate|pal|lad|lass|brother-in-law|"
    "sister-in-law|son-in-law|daughter-in-law|mother-in-law|father-in-law"
)
_ADJECTIVES = r"(?:(?:late|dear|little|old|eldest|youngest|older|younger|oldest|best|new|ex-?|twin|only)\s+)*"
AFTER_MY = re.compile(
    rf"\b(?:[Mm]y|[Oo]ur)\s+{_ADJECTIVES}(?:(?P<relation>{RELATIONS})(?:['’]s)?,?\s+)?"
    rf"(?P<name>{_NAME}(?:\s+{_NAME})?)\b"
)
CALLED = re.compile(
    rf"\b(?i:called|named|name\s+is|name['’]s|known\s+as)\s+(?P<name>{_NAME}(?:\s+{_NAME})?)\b",
)
TITLED = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Doctor|Nurse|Sister|Father|Rev|Reverend|Councillor|Cllr|Professor|Prof)\.?"
    rf"\s+(?P<name>{_NAME}(?:\s+{_NAME})?)\b"
)
CAPITALISED = re.compile(rf"\b{_NAME}\b")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that are not people's names, however they are used.
NOT_NAMES = _words(
    """
    I Mum Mam Mom Dad Nan Nana Gran Granny Grandma Grandad Auntie Uncle Sir Madam Miss God Lord Allah
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December Christmas Easter Eid Diwali Ramadan Hanukkah Vaisakhi
    English British Scottish Welsh Irish Polish Romanian Pakistani Indian Bangladeshi Somali Syrian Afghan
    Ukrainian African Caribbean Asian European Muslim Christian Jewish Hindu Sikh Deaf Black White
    Council Councils Service Services Social Care Health Hospital Centre Center Team Trust Bank Advice
    Citizens Mind Housing Police Ambulance Surgery Practice Clinic Direct Line Office Job Jobcentre Plus
    Credit Universal Benefit Benefits Food School College University Church Mosque Temple Gurdwara
    Library Club Group Network Hub Cafe Café Carers Care Home Homes Age Samaritans Shelter Foundation
    Charity Project Partnership Together Street Road Lane Avenue Park Ward Unit Clinic Emergency Accident
    Mental Adult Adults Children Child Family Families Young Older People Community Voluntary Sector
    Universal Personal Independence Payment Attendance Allowance Pension Tax Blue Badge Motability Bus
    Taxi Train Tram Metro Covid Coronavirus Zoom Teams Facebook WhatsApp Google Internet Online Tesco
    Asda Aldi Lidl Morrisons Sainsbury Boots Help Support Dear Thanks Thank Please Sorry Yes No Not The
    A An And But Or So Then When While After Before Because If Since Until Although Though Now Today
    Yesterday Tomorrow Last Next This That These Those There Here What Who Why How Where We You He She
    They It My Our Your His Her Their Its One Two Three Four Five Six Seven Eight Nine Ten First Second
    Father Mother Sister Brother Son Daughter Husband Wife Partner Friend Neighbour Baby Grandmother
    Grandfather Aunt Cousin Carers Worker Manager Officer Receptionist Consultant Councillor Minister
    Third Every Each Some Many Most All Nobody Everyone Someone Anyone Nothing Everything Something
    Morning Afternoon Evening Night Week Weekend Month Year Day Hours Minutes Doctor Nurse Carer GP
    North South East West Northern Southern Eastern Western Upper Lower Great Little Old New Saint St
    Royal General District County City Town Village Central High Low Middle Mr Mrs Ms Mx Dr Prof Rev Cllr
    """
)

# Words after a name that make it a place or an organisation instead: "Victoria Road", "Florence House".
PLACE_WORDS = re.compile(
    rf"\s+(?:{STREET_WORDS}|House|Hall|Centre|Center|Court|Hospital|School|Surgery|Practice|Clinic|Ward|"
    r"Library|Church|Chapel|Mosque|Trust|Foundation|Academy|College|University|Station|Estate|Lodge|"
    r"Cottage|Farm|Primary|Medical|Health|Community|Leisure|Sports|Memorial|Fields|Meadows|Mill|Bridge)\b"
)

# Common first names in the UK. The ones that are also everyday words are only taken as names in
# the middle of a sentence (AMBIGUOUS), where their capital letter means something.
FIRST_NAMES = _words(
    """
    Aaron Abdul Abdullah Abigail Adam Adrian Ahmed Aidan Aisha Alan Alex Alexander Alexandra Ali Alice
    Alison Amanda Amelia Amina Amir Amy Andrea Andrew Andy Angela Anita Ann Anna Anne Annie Anthony Anya
    Archie Arthur Asha Ashley Aurora Ava Ayesha Barbara Barry Becky Ben Benjamin Beth Bethany Betty
    Beverley Billy Bilal Brenda Brian Bridget Callum Cameron Carl Carla Carly Caroline Catherine Charlie
    Charlotte Chelsea Cheryl Chloe Chris Christine Christopher Claire Clare Colin Connor Craig Daisy
    Daniel Danny Darren Dave David Dawn Dean Debbie Deborah Declan Denise Dennis Derek Diane Dominic
    Donna Doreen Doris Dorothy Dylan Edward Eileen Elaine Eleanor Elizabeth Ella Ellie Emily Emma Eric
    Erin Ethan Eve Evie Fatima Fiona Florence Frances Freddie Gail Gareth Gary Gemma Geoffrey George
    Georgia Gerald Gillian Gordon Graham Hamza Hannah Harriet Harry Harvey Hassan Hayley Heather Helen
    Henry Hollie Hussain Ian Ibrahim Imran Isaac Isabel Isabella Isla Jack Jackie Jacob Jade James Jamie
    Jan Jane Janet Janice Jasmine Jason Jean Jeff Jennifer Jenny Jessica Jill Joan Joanne Joe Joel John
    Jonathan Joseph Josh Joshua Joyce Judith Judy Julia Julie Justin Karen Kate Katherine Kathleen Katie
    Kayleigh Keith Kelly Kerry Kevin Khalid Kieran Kim Kirsty Laura Lauren Leah Lee Leo Leon Lesley
    Leslie Liam Lily Linda Lindsay Lisa Liz Logan Lorraine Louise Lucy Luke Lynn Lynne Maisie Malcolm
    Margaret Maria Marie Marjorie Martin Mary Maryam Matthew Maureen Megan Melanie Melissa Michael
    Michelle Mia Mohammed Mohammad Muhammad Mohamed Molly Nadia Naomi Natalie Nathan Neil Nicola Nicole
    Nigel Noah Norma Norman Oliver Olivia Omar Oscar Owen Pamela Patricia Patrick Paul Paula Pauline Peter
    Philip Phillip Poppy Priya Rachel Rebecca Reece Rhys Richard Rita Robert Robin Ryan Sadia Sajid Sally
    Samantha Samuel Sandra Sara Sarah Scott Sean Shabana Shahid Sharon Shaun Sheila Shirley Simon Sophie
    Stacey Stephen Steve Steven Stuart Susan Suzanne Tariq Teresa Terry Thomas Theo Tina Toby Tom Tommy
    Tony Tracey Tracy Trevor Usman Valerie Vanessa Vicky Victoria Vincent Wayne Wendy William Yasmin
    Yusuf Zainab Zara Zoe Kwame Chidi Tunde Femi Ade Olu Deepak Ravi Sunita Anil Raj Rajesh Sanjay Suresh
    Gurpreet Harpreet Manpreet Jaspreet Piotr Kasia Agnieszka Tomasz Andrei Ioana Mihai Elena Irina Olena
    Bogdan Dmitri Siobhan Niamh Ciaran Aoife Sinead Bronwen Rhiannon Dafydd Iwan Angus Hamish Morag Fraser
    Alfie Jayden Kai Riley Tyler Bradley Jordan Kyle Shane Stacy Leanne Jodie Kerry-Ann Abdi Hodan Ayan
    Rosa Jamie Winston Kit Sam Pat Bob Jim Tim Ken Ron Roy Sid Ted Bill Mark Rob Jo Sue Val Di Viv
    """
)
AMBIGUOUS = _words(
    """
    Grace Hope Faith Joy Rose Amber Will Bill Mark Rob Pat Sue Art Ray Guy Chase Drew Penny Ruby Holly Ivy
    Iris Daisy Poppy Summer Autumn Dawn Sky Jade Crystal Heather Violet Lily Kit Robin Jan Eve Victoria
    Florence Lee Kim Jean Carol Jordan Sunny Angel Precious Patience Miracle Mercy Blessing Marina Max Miles
    Frank
    """
)
NAMES = FIRST_NAMES | AMBIGUOUS


def _place_words(place_names: Iterable[str]) -> frozenset[str]:
    words: set[str] = set()
    for place in place_names:
        words.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", place))
    return frozenset(words)


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'‘“(")
    return not before or before[-1] in ".!?\n:;"


def _name_span(text: str, start: int, end: int, places: frozenset[str]) -> tuple[int, int] | None:
    """The part of a candidate like "Jack Smith" that can be a name, or None.

    Only a run from the first word counts: "my son Jack" keeps Jack, "our GP Surgery" nothing.
    """
    words = [(m.start() + start, m.end() + start) for m in CAPITALISED.finditer(text[start:end])]
    run: list[tuple[int, int]] = []
    for s, e in words:
        if text[s:e] in NOT_NAMES or text[s:e].lower() in places:
            break
        run.append((s, e))
    if not run or PLACE_WORDS.match(text, run[-1][1]):
        return None
    return run[0][0], run[-1][1]


_SURNAME = re.compile(rf"\s+({_NAME})\b")


def _cued_names(text: str, places: frozenset[str]) -> Iterable[tuple[int, int]]:
    """Names after the words people put before them: "my son Jack", "called Sarah", "Mrs Patel"."""
    for pattern in (AFTER_MY, CALLED, TITLED):
        for match in pattern.finditer(text):
            # "my Freedom Pass" is not a name; "my Jack" or "our Kayleigh" is.
            if pattern is AFTER_MY and not match.group("relation") and match.group("name").split()[0] not in NAMES:
                continue
            span = _name_span(text, *match.span("name"), places)
            if span:
                yield span


def _first_names(text: str, places: frozenset[str]) -> Iterable[tuple[int, int]]:
    """Common first names, with the surname that follows: "Sarah", "Sarah Jones"."""
    for match in CAPITALISED.finditer(text):
        word = match.group()
        if word not in NAMES or word in NOT_NAMES or word.lower() in places:
            continue
        if word in AMBIGUOUS and _starts_sentence(text, match.start()):
            continue  # "Will you…", "Grace was…": the capital only says a sentence starts
        if PLACE_WORDS.match(text, match.end()):
            continue  # "Victoria Road", "Grace House"
        end = match.end()
        surname = _SURNAME.match(text, end)
        if surname and surname.group(1) not in NOT_NAMES and surname.group(1).lower() not in places:
            if PLACE_WORDS.match(text, surname.end()):
                continue  # "Florence Nightingale Hospital"
            end = surname.end()
        yield match.start(), end


def _names(text: str, places: frozenset[str]) -> list[tuple[int, int]]:
    """Every name span, overlapping ones joined ("my son Jack" and "Jack Smith" → "Jack Smith")."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted([*_cued_names(text, places), *_first_names(text, places)]):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# --- Putting it together ---------------------------------------------------------------------------


def find_personal_details(text: str, *, place_names: Iterable[str] = ()) -> list[Finding]:
    """Every personal detail the rules suggest, in order, without overlaps.

    When two rules find overlapping text the surer one wins: an email before a phone number before
    a postcode before an address before a name ("sarah.jones@example.org" is an email, not a name).
    """
    places = _place_words(place_names)
    candidates: list[tuple[Kind, int, int]] = []
    candidates += [(Kind.EMAIL, *m.span()) for m in EMAIL.finditer(text)]
    candidates += [(Kind.PHONE, s, e) for s, e in _phones(text)]
    candidates += [(Kind.POSTCODE, s, e) for s, e in _postcodes(text)]
    candidates += [(Kind.ADDRESS, *m.span()) for m in ADDRESS.finditer(text)]
    candidates += [(Kind.NAME, s, e) for s, e in _names(text, places)]
    taken: list[Finding] = []
    for kind, start, end in candidates:
        if any(start < f.end and f.start < end for f in taken):
            continue
        taken.append(Finding(kind=kind, start=start, end=end, text=text[start:end]))
    return sorted(taken, key=lambda f: f.start)


def anonymise(text: str, *, place_names: Iterable[str] = ()) -> str:
    """The text with each suggested detail replaced by its placeholder: [name], [address], [postcode],
    [phone] or [email]."""
    return replace(text, find_personal_details(text, place_names=place_names))


def replace(text: str, findings: Iterable[Finding]) -> str:
    result = text
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        result = result[: finding.start] + finding.placeholder + result[finding.end :]
    return result


def segments(text: str, findings: Iterable[Finding]) -> list[list[Segment]]:
    """The text as paragraphs (one per line) of plain and flagged stretches, for showing a moderator
    what was found where."""
    paragraphs: list[list[Segment]] = [[]]
    position = 0
    ordered = sorted(findings, key=lambda f: f.start)

    def plain(stretch: str) -> None:
        lines = stretch.split("\n")
        for number, line in enumerate(lines):
            if number:
                paragraphs.append([])
            if line.strip("\r"):
                paragraphs[-1].append(Segment(line.rstrip("\r")))

    for finding in ordered:
        plain(text[position : finding.start])
        paragraphs[-1].append(Segment(finding.text, finding.kind))
        position = finding.end
    plain(text[position:])
    return [p for p in paragraphs if p]


def refused(findings: Iterable[Finding]) -> list[Finding]:
    """The details a story can never be published with."""
    return [f for f in findings if f.kind in ALWAYS_REFUSED]


def names(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.kind == Kind.NAME]
