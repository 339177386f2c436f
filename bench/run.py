"""List-page benchmark: queries and time per page as the number of rows grows.

Builds a throwaway test database, fills it with the scale generator at several sizes and
requests each list page as a signed-in organisation admin. Prints figures; asserts nothing
(the tests pin the query counts).

    .venv/bin/python bench/run.py [sizes...]      default sizes: 50 500 2000
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from cocommission.demo.scale import (  # noqa: E402
    generate,
    generate_agreements,
    generate_opportunities,
    generate_together,
)
from cocommission.organisations.models import Membership, Organisation  # noqa: E402
from cocommission.partnerships.models import Partnership, PartnershipOrganisation  # noqa: E402

REPEATS = 5


def pages(org: Organisation, partnership: Partnership) -> dict[str, str]:
    return {
        "directory": "/organisations/",
        "directory, filtered": "/organisations/?kind=vcse&q=organisation",
        "organisation page": f"/organisations/{org.slug}/",
        "members": f"/organisations/{org.slug}/members/",
        "passport": f"/organisations/{org.slug}/passport/",
        "timeline": f"/organisations/{org.slug}/timeline/",
        "audit": f"/organisations/{org.slug}/audit/",
        "partnership": f"/partnerships/{partnership.slug}/",
        "opportunities": "/opportunities/",
        "your applications": "/opportunities/applications/",
        "your dashboard": "/dashboard/",
        "agreements": "/agreements/",
        "agreements ending": "/agreements/ending/",
        "stories": f"/partnerships/{partnership.slug}/stories/",
        "priorities": f"/partnerships/{partnership.slug}/priorities/",
        "policy watch": f"/partnerships/{partnership.slug}/policies/",
        "decision moments": f"/partnerships/{partnership.slug}/decisions/",
        "meetings": f"/partnerships/{partnership.slug}/meetings/",
        "questions hanging": f"/partnerships/{partnership.slug}/questions/hanging/",
    }


# Pages a commissioner uses that pick an organisation from the directory by searching it.
FUNDER_PAGES = {
    "open an opportunity": "/opportunities/new/?q=bench",
    "create an agreement": "/agreements/new/?q=bench",
}


def measure(client: Client, url: str) -> tuple[int, int, float]:
    timings = []
    queries = 0
    status = 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        queries = len(captured.captured_queries)
        status = response.status_code
    return status, queries, statistics.median(timings) * 1000


def main(sizes: list[int]) -> None:
    settings.COCOMMISSION_MFA_REQUIRED = False
    settings.DEBUG = False
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}; median of {REPEATS} requests")
        print(
            "rows = organisations, with as many opportunities, applications, agreements, stories, priorities,\n"
            "policies, decisions and meetings"
        )
        print(f"{'page':<22}" + "".join(f"{f'{n} rows':>26}" for n in sizes))
        results: dict[str, list[str]] = {}
        total = 0
        partnership = Partnership.objects.create(name="Bench partnership", slug="bench", place="Bench")
        for size in sizes:
            orgs = generate(organisations=size - total, prefix=f"bench{size}")
            total = size
            PartnershipOrganisation.objects.bulk_create(
                [PartnershipOrganisation(partnership=partnership, organisation=o, sector="vcse") for o in orgs]
            )
            first = Organisation.objects.order_by("pk").first()
            assert first is not None
            funder = Organisation.objects.filter(kind="statutory").order_by("pk").first()
            assert funder is not None
            generate_opportunities(count=len(orgs), funder=funder, prefix=f"bench{size}")
            generate_agreements(count=len(orgs), funder=funder, provider=first, prefix=f"bench{size}")
            generate_together(count=len(orgs), partnership=partnership, prefix=f"bench{size}")
            admin = Membership.objects.filter(organisation=first, role="admin").select_related("user").first()
            assert admin is not None
            client = Client(raise_request_exception=False)
            client.force_login(admin.user)
            commissioner = Membership.objects.filter(organisation=funder).select_related("user").first()
            assert commissioner is not None
            funder_client = Client(raise_request_exception=False)
            funder_client.force_login(commissioner.user)
            visits = [(client, label, url) for label, url in pages(first, partnership).items()]
            visits += [(funder_client, label, url) for label, url in FUNDER_PAGES.items()]
            for visitor, label, url in visits:
                status, queries, ms = measure(visitor, url)
                cell = f"{queries} queries {ms:7.1f} ms" if status == 200 else f"HTTP {status}"
                results.setdefault(label, []).append(cell)
        for label, cells in results.items():
            print(f"{label:<22}" + "".join(f"{c:>26}" for c in cells))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [50, 500, 2000])
