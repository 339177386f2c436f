"""The anonymiser's suggestions: each kind of personal detail, and ordinary words left alone."""

import pytest

from cocommission.needs.anonymise import (
    Kind,
    Segment,
    anonymise,
    contains_link,
    find_personal_details,
    names,
    refused,
    segments,
)

PLACES = ["Brackenmoor and Fellside", "Eastfield", "Quarry Hill", "Upper Dale", "Kestrel Moor", "Canal Side"]


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind.value, f.text) for f in find_personal_details(text, place_names=PLACES)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to sarah.jones@example.org today.", [("email", "sarah.jones@example.org")]),
        ("Ring 07700 900123 after six.", [("phone", "07700 900123")]),
        ("Ring (0113) 496 0000.", [("phone", "(0113) 496 0000")]),
        ("Ring +44 20 7946 0018.", [("phone", "+44 20 7946 0018")]),
        ("Ring +44 (0)7700 900123.", [("phone", "+44 (0)7700 900123")]),
        ("Ring 01632960001 now.", [("phone", "01632960001")]),
        ("The postcode is BK1 2AB.", [("postcode", "BK1 2AB")]),
        ("It is ls6 2ab I think.", [("postcode", "ls6 2ab")]),
        ("We live at 42 Acacia Avenue.", [("address", "42 Acacia Avenue")]),
        ("Flat 3, 12 St Mary's Road was damp.", [("address", "Flat 3, 12 St Mary's Road")]),
        ("She is at 7 moss lane now.", [("address", "7 moss lane")]),
    ],
)
def test_contact_details_are_found(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My son Jack went to the drop-in.", "Jack"),
        ("my late husband, Derek Walsh, did the forms.", "Derek Walsh"),
        ("Our Kayleigh has a new carer.", "Kayleigh"),
        ("She has a carer called Bernadette who is lovely.", "Bernadette"),
        ("The worker, named Tomasz, spoke Polish.", "Tomasz"),
        ("My name is Oluwaseun and I live alone.", "Oluwaseun"),
        ("Sarah Jones from the council never rang back.", "Sarah Jones"),
        ("I spoke to Mohammed at the desk.", "Mohammed"),
        ("In the end Grace helped me.", "Grace"),
    ],
)
def test_names_are_found(text, name):
    assert found(text) == [("name", name)]


def test_a_title_stays_and_the_name_after_it_goes():
    assert anonymise("Mrs Okafor and Dr Patel were kind.") == "Mrs [name] and Dr [name] were kind."


@pytest.mark.parametrize(
    "text",
    [
        "I waited eleven weeks for a call back. My neighbour drove me to the drop-in in the end.",
        "We called Social Services on Monday and waited 3 weeks.",
        "The GP at Quarry Hill Surgery was kind, and Eastfield library has a warm space.",
        "In March we went to Victoria Road and then Grace House.",
        "Will you help? Mark my words, it will close. Rose bushes grow by the path.",
        "I used my Blue Badge and my Universal Credit ran out. Age UK helped.",
        "It is a 10 minutes walk from the bus and 2 miles along the main road.",
        "The clinic opens at 09:30 on 01/02/2024 and the A1 1st junction is closed.",
        "My Mum and my English teacher both came. I am Polish and Muslim.",
        "Kestrel Moor and Upper Dale have one bus a day; Brackenmoor and Fellside share a hospital.",
        "We waited 45 minutes, paid £12.50 and rang 111 and then 999.",
        "My GP, my PIP assessment and NHS 111 were no help at Christmas.",
    ],
)
def test_ordinary_words_are_left_alone(text):
    assert found(text) == []


def test_place_names_are_not_taken_for_names():
    # "Florence" is a name, unless the partnership has a place called that.
    assert found("We met Florence in town.") == [("name", "Florence")]
    assert find_personal_details("We met in Florence.", place_names=["Florence"]) == []


def test_an_email_is_not_also_a_name_or_a_link():
    assert found("Email jack.smith@example.com please") == [("email", "jack.smith@example.com")]
    assert not contains_link("Email jack.smith@example.com please")


def test_anonymise_replaces_each_detail_with_its_placeholder():
    text = "My neighbour Maureen lives at 14 Moss Lane, BK3 4QT. Call her on 07700 900456 or email maureen@example.org."
    assert anonymise(text, place_names=PLACES) == (
        "My neighbour [name] lives at [address], [postcode]. Call her on [phone] or email [email]."
    )
    # Nothing is suggested in the result: the placeholders are not details themselves.
    assert find_personal_details(anonymise(text, place_names=PLACES), place_names=PLACES) == []


def test_refused_and_names_split_the_findings():
    findings = find_personal_details("Jack rang from 07700 900123.")
    assert [f.kind for f in refused(findings)] == [Kind.PHONE]
    assert [f.text for f in names(findings)] == ["Jack"]


def test_segments_mark_the_details_line_by_line():
    text = "Jack came.\nRing 07700 900123."
    paragraphs = segments(text, find_personal_details(text))
    assert paragraphs == [
        [Segment("Jack", Kind.NAME), Segment(" came.")],
        [Segment("Ring "), Segment("07700 900123", Kind.PHONE), Segment(".")],
    ]


@pytest.mark.parametrize(
    "text",
    ["see https://example.com/x", "go to www.example.org", "buy at cheap-pills.co.uk now", "visit EXAMPLE.COM"],
)
def test_links_are_found(text):
    assert contains_link(text)


@pytest.mark.parametrize("text", ["I waited. Then I rang.", "e.g. the drop-in", "It cost £3.50 a week", "St. Mary's"])
def test_ordinary_punctuation_is_not_a_link(text):
    assert not contains_link(text)
