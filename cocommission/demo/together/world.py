"""What every part of the decide-together demo needs: the day, the partnership, its
organisations and a way to find the demo's people."""

import datetime
from dataclasses import dataclass

from cocommission.accounts.models import User
from cocommission.organisations.models import Organisation
from cocommission.partnerships.models import Partnership

# The demo partnership's people, by first name (addresses from demo/place).
COORDINATOR = "dee.collins@brackenmoor-cvs.example"
ROSA = "lived.experience@demo.example"
JAMIE = "jamie.lee@demo.example"
WINSTON = "winston.clarke@demo.example"
PRIYA = "priya.shah@brackenmoor-icb.example"
GARETH = "gareth.lloyd@brackenmoor-council.example"
RUTH = "ruth.ellery@fellside-council.example"
OWEN = "owen.price@brackenmoor-health.example"
SAM = "sam.okoro@lantern-theatre.example"
KIT = "kit.ramsay@second-wind.example"
FARAH = "farah.iqbal@saheli.example"
ALAN = "alan.reeve@carers-circle.example"
JOSH = "josh.kerr@brackenmoor-mind.example"
MAGGIE = "maggie.thornton@heathervale.example"
LINDA = "linda.grey@brightwell.example"


@dataclass
class TogetherDemo:
    today: datetime.date
    partnership: Partnership
    orgs: dict[str, Organisation]  # by slug

    def person(self, email: str) -> User:
        return User.objects.get(email=email)
