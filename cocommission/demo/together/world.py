"""What every part of the decide-together demo needs: the day, the partnership, its
organisations and a way to find the demo's people."""

import datetime
from dataclasses import dataclass

from cocommission.accounts.models import User
from cocommission.organisations.models import Organisation
from cocommission.partnerships.models import Partnership


@dataclass
class TogetherDemo:
    today: datetime.date
    partnership: Partnership
    orgs: dict[str, Organisation]  # by slug

    def person(self, email: str) -> User:
        return User.objects.get(email=email)
