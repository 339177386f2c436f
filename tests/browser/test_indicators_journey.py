"""Indicators and priorities in Chromium: a coordinator uploads a file of figures, compares
places on the chart, proposes a priority and links a story and the indicator, then agrees it;
the priority page shows the story beside the chart. axe-core checks every page on the way."""

import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from cocommission.needs.models import IndicatorImport, Priority
from cocommission.needs.tests.factories import StoryFactory

from .test_commissioning_journey import Checker, switch_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = "indicator,source,geography_code,geography_name,period,value,unit,lower_ci,upper_ci\n" + "".join(
    f"Adults who feel lonely,Residents survey,E{n},{place},{year},{value + n + (year - 2020) * 0.6:.1f},"
    f"percent,{value + n - 1:.1f},{value + n + 4:.1f}\n"
    for n, (place, value) in enumerate((("Eastfield", 9.0), ("Northbank", 6.5), ("Upper Dale", 7.5)))
    for year in range(2020, 2024)
)
# Screenshots for a person to look at, when SCREENSHOTS names a folder.
SHOTS = os.environ.get("SCREENSHOTS", "")


def shot(browser_page, name: str) -> None:
    if SHOTS:
        browser_page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_figures_and_stories_together(page, assert_accessible, partnership, cora, mfa_off, tmp_path):
    StoryFactory.create(
        partnership=partnership, published=True, title="Eleven weeks for a call back", place="Eastfield"
    )
    check = Checker(assert_accessible)
    switch_to(page, cora, check)

    # 1. Upload a small file: it is checked and imported at once.
    page.goto(f"/partnerships/{partnership.slug}/indicators/")
    check(page)
    page.get_by_role("button", name="Upload indicator values").click()
    check(page)
    shot(page, "upload")
    upload = tmp_path / "lonely.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.get_by_label("Upload a CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("12 values imported from lonely.csv.")).to_be_visible()
    check(page)

    # 2. The chart and the table; compare two places over the last two years.
    page.get_by_role("link", name="See the indicators").click()
    check(page)
    page.get_by_role("link", name="Adults who feel lonely").click()
    expect(page.get_by_role("img", name="Adults who feel lonely")).to_be_visible()
    check(page)
    shot(page, "indicator")
    page.get_by_text("Choose places and periods").click()
    page.get_by_label("Northbank (E1)").uncheck()
    page.get_by_label("From").select_option("2022")
    page.get_by_role("button", name="Compare").click()
    check(page)
    expect(page.get_by_text("Showing 2 of 3 places")).to_be_visible()
    table = page.get_by_role("table", name="Adults who feel lonely by place and period")
    expect(table.get_by_role("rowheader")).to_have_count(2)
    expect(table.get_by_role("columnheader")).to_have_text(["Place", "2022", "2023"])

    # 3. A running import shows its progress.
    running = IndicatorImport(
        partnership=partnership, original_name="big.csv", status="checking", total_rows=5000, processed_rows=1200
    )
    running.file.save("big.csv", ContentFile(b"x"), save=False)
    running.save()
    page.goto(f"/partnerships/{partnership.slug}/indicators/imports/{running.pk}/")
    expect(page.get_by_text("1,200 of 5,000 rows checked")).to_be_visible()
    check(page)
    shot(page, "progress")

    # 4. Propose a priority, link the story and the indicator, agree it.
    page.goto(f"/partnerships/{partnership.slug}/priorities/")
    check(page)
    page.get_by_role("button", name="Propose a priority").click()
    check(page)
    page.get_by_label("The priority, in a few words").fill("Fewer people lonely in Eastfield")
    page.get_by_label("The need").fill("More people in Eastfield feel lonely, and it is rising.")
    page.get_by_role("button", name="Propose it").click()
    check(page)
    page.get_by_label("Eleven weeks for a call back (Eastfield, Older people)").check()
    page.get_by_label("Adults who feel lonely").check()
    page.get_by_role("button", name="Save the evidence").click()
    check(page)
    expect(page.get_by_role("heading", name="What people told us (1 story)")).to_be_visible()
    expect(page.get_by_role("img", name="Adults who feel lonely")).to_be_visible()
    shot(page, "priority")
    page.get_by_role("button", name="Agree this priority").click()
    check(page)
    page.get_by_role("button", name="Agree the priority").click()
    expect(page.get_by_text("Fewer people lonely in Eastfield is now an agreed priority.")).to_be_visible()
    check(page)
    assert Priority.objects.get().status == "agreed"
