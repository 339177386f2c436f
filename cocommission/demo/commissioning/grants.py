"""Grants: a £500 micro-grant that is open, a grant whose mixed panel is scoring, and a grant
that is decided and awarded with feedback for everyone."""

from cocommission.commissioning.routes import Route, State

from .world import (
    Demo,
    OpportunitySpec,
    Sector,
    Verdict,
    apply,
    create,
    decide,
    declare,
    exists,
    moderate,
    move,
    score,
    seat,
)

CITY = ("Brackenmoor City Centre", "Northbank", "Eastfield", "Quarry Hill", "Canal Side")
GARETH = "gareth.lloyd@brackenmoor-council.example"
PRIYA = "priya.shah@brackenmoor-icb.example"

MICRO_GRANT = OpportunitySpec(
    title="Winter warmth micro-grants",
    funder="brackenmoor-city-council",
    by=GARETH,
    route=Route.GRANT,
    route_reason="Small neighbourhood groups reach people who are cold and alone better than any contract could. "
    "A £500 grant with three short questions and a one-page report keeps the ask in proportion.",
    problem="Some people in the city spend the winter in cold homes and go days without seeing anyone. Many will "
    "not go to a big centre, but they will come to a group they already know.",
    total_budget="5000",
    max_award="500",
    kinds=("vcse",),
    income_bands=("micro", "small"),
    areas=CITY,
    opens=-10,
    closes=18,
    decide_by=32,
    outcomes=(
        "More people who live alone have a warm place to go at least once a week this winter",
        "People who come along know where to get help with their energy bills",
    ),
    criteria=(
        ("Reaching people who are cold and alone", 50, ""),
        ("A simple, realistic plan", 30, ""),
        ("Rooted in the neighbourhood", 20, ""),
    ),
    questions=(
        ("What will you do with the grant, and who will it help?", 200),
        ("How will you reach people who would not usually come?", 150),
        ("How will you know it has made a difference?", 150),
    ),
)

SCORING_GRANT = OpportunitySpec(
    title="Support while you wait: community wellbeing grants",
    funder="brackenmoor-icb",
    by=PRIYA,
    route=Route.GRANT,
    route_reason="Community groups already support people on long waiting lists and know who is missing out. "
    "Grants let several groups try different approaches; there is no single provider to award to.",
    problem="More than 4,000 people in Brackenmoor and Fellside wait over 18 weeks for talking therapies or "
    "community mental health support. While they wait many get worse, and people from some communities wait "
    "longest and are referred least.",
    total_budget="100000",
    max_award="25000",
    term_years=2,
    kinds=("vcse",),
    opens=-60,
    closes=-14,
    decide_by=21,
    max_questions=3,
    word_limit=1500,
    extra_documents=0,
    outcomes=(
        "People waiting for mental health support have someone to talk to within two weeks of asking",
        "People from the communities referred least get the same support as everyone else",
    ),
    criteria=(
        ("Reaching people who wait longest", 40, ""),
        ("Shaped by people with lived experience", 30, ""),
        ("A realistic plan and budget", 30, ""),
    ),
    questions=(
        ("Who will you support while they wait, and how will you reach them?", 500),
        ("How have people with lived experience shaped this, and how will they keep shaping it?", 500),
        ("What will you do in the first six months, and what will it cost?", 500),
    ),
)

AWARDED_GRANT = OpportunitySpec(
    title="Food and wellbeing hubs fund",
    funder="brackenmoor-city-council",
    by=GARETH,
    route=Route.GRANT,
    route_reason="Food banks and community cafés already see the people we most want to reach. Grants let them "
    "shape the support around what they see, with light reporting.",
    problem="People who use food banks often also struggle with debt, loneliness and low mood, but the help is in "
    "different places and many give up before they reach it.",
    total_budget="30000",
    max_award="15000",
    kinds=("vcse",),
    opens=-75,
    closes=-45,
    decide_by=0,
    max_questions=3,
    word_limit=1200,
    extra_documents=0,
    outcomes=(
        "People using food support get help with money, mood and loneliness in the same place",
        "Fewer people need an emergency food parcel more than three times in a year",
    ),
    criteria=(
        ("Reaching people most affected", 40, ""),
        ("Working with other services", 30, ""),
        ("Value for money", 30, ""),
    ),
    questions=(
        ("What will your hub offer, and who will it help?", 400),
        ("Which other services will you work with, and how?", 400),
        ("What will the money pay for?", 400),
    ),
)


def micro_grant(demo: Demo) -> None:
    """Open: two small groups have applied; Sam's food bank has a draft on the go."""
    if exists(MICRO_GRANT):
        return
    opportunity = move(demo, create(demo, MICRO_GRANT), GARETH, State.OPEN)
    apply(
        demo,
        opportunity,
        org="kestrel-street-mutual-aid",
        by="bea.lister@kestrel-street.example",
        amount="500",
        summary="Warm lunches and lifts to the lunch club for neighbours who live alone.",
        answers=[
            "A warm lunch every Thursday in the Kestrel Street community room from November to March, and lifts "
            "there and back for anyone who cannot walk it in the cold. The grant pays for food, heating the room "
            "and petrol for our three volunteer drivers.",
            "Our volunteers already shop for 22 neighbours. They will invite each of them in person, and the "
            "corner shop and the pharmacy will hand out our cards.",
            "We will count who comes each week and ask people in March what difference it made, in their words.",
        ],
        day=-6,
    )
    apply(
        demo,
        opportunity,
        org="growing-patch-community-garden",
        by="ada.finch@growing-patch.example",
        amount="450",
        summary="Soup and seed swaps in the heated greenhouse, two afternoons a week.",
        answers=[
            "Two afternoons a week in our heated greenhouse: soup from what we grow, seed swaps, and a volunteer "
            "from Citizens Advice once a month for help with energy bills.",
            "Through the allotment holders, the Eastfield school gate and the baby bank, who know families in cold "
            "homes.",
            "A short conversation with each person at the start and in spring, and a count of energy advice "
            "appointments booked.",
        ],
        day=-3,
    )
    # Sam has answered the first question and saved; the rest is still to do.
    apply(
        demo,
        opportunity,
        org="lantern-theatre-food-bank",
        by="sam.okoro@lantern-theatre.example",
        amount="500",
        summary="Warm Wednesdays in the theatre foyer.",
        answers=[
            "Warm Wednesdays: the theatre foyer open from 11am to 3pm every Wednesday this winter, with hot drinks, "
            "a light lunch and the radiators on. People collecting food parcels will be welcome to stay.",
        ],
        day=-1,
        submit=False,
    )


SCORING_APPLICANTS = [
    (
        "saheli-wellbeing",
        "farah.iqbal@saheli.example",
        "25000",
        "Peer support in Urdu, Punjabi and Bengali for women on the talking therapies waiting list.",
        -30,
    ),
    (
        "brackenmoor-carers-circle",
        "alan.reeve@carers-circle.example",
        "22000",
        "Wellbeing check-ins and respite for unpaid carers waiting for mental health support.",
        -25,
    ),
    (
        "second-wind-recovery",
        "kit.ramsay@second-wind.example",
        "24500",
        "A drop-in recovery café evening for people waiting for community mental health support.",
        -20,
    ),
    (
        "sunrise-dementia-cafe",
        "iris.bell@sunrise-cafe.example",
        "6000",
        "A weekly café in Upper Dale for carers of people with dementia who are waiting for support.",
        -16,
    ),
]


def _answers(summary: str) -> list[str]:
    """Three answers built around the applicant's summary: enough for the panel to read."""
    return [
        f"{summary} We already meet many of these people, and we will go where they are: GP surgeries, "
        "places of worship, school gates and our own sessions.",
        "Six people who have waited themselves planned this with us over three evenings. Two of them will sit "
        "on our steering group and review what we learn every quarter.",
        "In the first three months we will train volunteers and start sessions; by month six we expect to support "
        "sixty people. Most of the money pays for staff time, room hire and volunteers' expenses.",
    ]


def scoring_grant(demo: Demo) -> None:
    """Scoring: a three-sector panel, two conflicts declared, some sheets in, Rosa and Dee still to score."""
    if exists(SCORING_GRANT):
        return
    opportunity = move(demo, create(demo, SCORING_GRANT), PRIYA, State.OPEN)
    apps = {
        org: apply(demo, opportunity, org=org, by=by, amount=amount, summary=summary, answers=_answers(summary), day=d)
        for org, by, amount, summary, d in SCORING_APPLICANTS
    }
    opportunity = move(demo, opportunity, PRIYA, State.CLOSED)
    femi = seat(
        demo,
        opportunity,
        by=PRIYA,
        email="femi.adeyemi@brackenmoor-icb.example",
        sector=Sector.STATUTORY,
        org="brackenmoor-icb",
        chair=True,
    )
    dee = seat(
        demo,
        opportunity,
        by=PRIYA,
        email="dee.collins@brackenmoor-cvs.example",
        sector=Sector.VCSE,
        org="brackenmoor-cvs",
    )
    maggie = seat(
        demo,
        opportunity,
        by=PRIYA,
        email="maggie.thornton@heathervale.example",
        sector=Sector.VCSE,
        org="heathervale-shared-lives",
    )
    rosa = seat(demo, opportunity, by=PRIYA, email="lived.experience@demo.example", sector=Sector.LIVED_EXPERIENCE)
    move(demo, opportunity, PRIYA, State.SCORING)
    saheli, carers = apps["saheli-wellbeing"], apps["brackenmoor-carers-circle"]
    second_wind, sunrise = apps["second-wind-recovery"], apps["sunrise-dementia-cafe"]

    for application, marks in (
        (saheli, [5, 5, 4]),
        (carers, [4, 3, 4]),
        (second_wind, [3, 4, 3]),
        (sunrise, [4, 4, 5]),
    ):
        declare(femi, application)
        score(femi, application, marks)
    declare(
        maggie,
        carers,
        conflict="I am a trustee of Brackenmoor Carers' Circle.",
        management="I do not score this application or see the panel's scores for it, and I leave the room when "
        "the panel discusses it.",
    )
    for application, marks in ((saheli, [5, 4, 4]), (sunrise, [4, 5, 4])):
        declare(maggie, application)
        score(maggie, application, marks)
    declare(maggie, second_wind)
    score(maggie, second_wind, [3, None, None], submit=False)
    declare(
        dee,
        second_wind,
        conflict="Brackenmoor CVS helped Second Wind Recovery Collective draft this application through our funding "
        "advice service.",
        management="I do not score this application or see the panel's scores for it.",
    )
    declare(dee, saheli)
    score(dee, saheli, [4, 5, 4])
    # Rosa has made a start: one declaration and a draft sheet. The other three are hers to do.
    declare(rosa, saheli)
    score(rosa, saheli, [5, None, None], submit=False)


def awarded_grant(demo: Demo) -> None:
    """Awarded: scored, moderated and decided, one award and one decline, and a draft agreement."""
    if exists(AWARDED_GRANT):
        return
    opportunity = move(demo, create(demo, AWARDED_GRANT), GARETH, State.OPEN)
    lantern = apply(
        demo,
        opportunity,
        org="lantern-theatre-food-bank",
        by="sam.okoro@lantern-theatre.example",
        amount="15000",
        summary="A weekly hub in the theatre with a money adviser, a link worker and a hot meal.",
        answers=[
            "Every Tuesday the theatre becomes a hub: food parcels, a hot meal, a Citizens Advice money adviser and "
            "a mental health link worker, in one warm room. We see 140 households a week, and a third tell us they "
            "are struggling with more than food.",
            "Citizens Advice Brackenmoor will send an adviser each week; Brackenmoor Mind will train our volunteers "
            "and take referrals; the GP surgery on Canal Side will refer people to us directly.",
            "Sessional staff for the hub (£7,800), the link worker's time (£4,200), food and kitchen costs (£2,000) "
            "and volunteer expenses (£1,000).",
        ],
        day=-50,
    )
    second_wind = apply(
        demo,
        opportunity,
        org="second-wind-recovery",
        by="kit.ramsay@second-wind.example",
        amount="14000",
        summary="A community meal at the recovery café, three evenings a week.",
        answers=[
            "A free community meal at our recovery café three evenings a week, open to anyone, with peer mentors "
            "on hand to talk.",
            "We will tell the food bank and the job centre about the meals.",
            "Food (£6,000), a cook (£5,000) and running costs (£3,000).",
        ],
        day=-47,
    )
    opportunity = move(demo, opportunity, GARETH, State.CLOSED)
    nadia = seat(
        demo,
        opportunity,
        by=GARETH,
        email="nadia.begum@brackenmoor-council.example",
        sector=Sector.STATUTORY,
        org="brackenmoor-city-council",
        chair=True,
    )
    farah = seat(
        demo, opportunity, by=GARETH, email="farah.iqbal@saheli.example", sector=Sector.VCSE, org="saheli-wellbeing"
    )
    jamie = seat(demo, opportunity, by=GARETH, email="jamie.lee@demo.example", sector=Sector.LIVED_EXPERIENCE)
    opportunity = move(demo, opportunity, GARETH, State.SCORING)
    sheets = {nadia: ([5, 4, 4], [3, 2, 3]), farah: ([4, 4, 4], [3, 3, 2]), jamie: ([5, 4, 3], [2, 2, 3])}
    for member, (lantern_marks, second_wind_marks) in sheets.items():
        declare(member, lantern)
        score(member, lantern, lantern_marks)
        declare(member, second_wind)
        score(member, second_wind, second_wind_marks)
    notes = "The panel agreed the scores together. Jamie Lee's view of how welcoming each hub would feel was decisive."
    moderate(demo, lantern, by=GARETH, marks=[5, 4, 4], notes=notes)
    moderate(demo, second_wind, by=GARETH, marks=[3, 2, 3])
    decide(
        demo,
        opportunity,
        by=GARETH,
        makers="Gareth Lloyd (commissioner, Brackenmoor City Council)\nNadia Begum (Statutory, Brackenmoor City "
        "Council, chair)\nFarah Iqbal (VCSE, Saheli Women's Wellbeing Network)\nJamie Lee (Lived experience)",
        summary="Each panel member scored both applications against the three criteria on their own; the panel then "
        "agreed the scores together. The award follows the weighted totals.",
        conflicts="No conflicts of interest were declared.",
        verdicts=[
            Verdict(
                lantern,
                "14500",
                "The highest weighted total. Reaching people most affected: 5 of 5, with clear evidence of who comes "
                "and why. Working with other services: 4 of 5, with named partners already signed up. Value for "
                "money: 4 of 5; we have not funded the £500 contingency.",
                "A strong, well-evidenced application. The panel especially valued the link worker and the named "
                "partners. We have awarded £14,500: the contingency line is not funded. We would like a short "
                "update at six months on how many people got help with money or mood as well as food.",
            ),
            Verdict(
                second_wind,
                None,
                "Reaching people most affected: 3 of 5. Working with other services: 2 of 5, as the application "
                "does not say how people would reach debt or mental health support. Value for money: 3 of 5.",
                "The panel liked the warmth of the recovery café and the peer mentors. To be stronger, show which "
                "services you would work with and how someone at the meal would get help with money or mood. We "
                "would welcome an application to the next round, and Brackenmoor CVS can help you with it.",
            ),
        ],
    )
    move(demo, opportunity, GARETH, State.DECIDED, State.AWARDED)
