"""Loads the demo place. Safe to run again: it only adds what is missing."""

import os
from typing import Any

from django.core.management.base import BaseCommand

from cocommission.demo.loader import load_demo_place
from cocommission.demo.place import DEMO_PASSWORD, LOGINS


class Command(BaseCommand):
    help = "Load Brackenmoor, the fictional demo place, and print one login per role."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_demo_place()
        self.stdout.write(self.style.SUCCESS("Demo place loaded: Brackenmoor and Fellside."))
        for label, number in counts.items():
            self.stdout.write(f"  {label}: {number}")
        self.stdout.write("")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"Sign in at http://127.0.0.1:{port}/accounts/login/ with the password {DEMO_PASSWORD}")
        width = max(len(role) for role, _ in LOGINS)
        for role, email in LOGINS:
            self.stdout.write(f"  {role.ljust(width)}  {email}")
