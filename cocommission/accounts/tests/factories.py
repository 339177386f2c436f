import factory
from factory.django import DjangoModelFactory

from cocommission.accounts.models import User

PASSWORD = "correct-horse-battery"
FIRST_NAMES = ["Amara", "Ben", "Chloe", "Dev", "Ellie", "Femi", "Grace", "Hugo", "Isla", "Jon", "Kemi", "Liam"]
LAST_NAMES = ["Adams", "Bell", "Carter", "Dunn", "Evans", "Fox", "Green", "Hall", "Iqbal", "Jones", "Khan", "Lowe"]


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    # Fixed names without apostrophes or accents, so tests can look for them in escaped HTML.
    full_name = factory.Sequence(
        lambda n: f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n // len(FIRST_NAMES) % len(LAST_NAMES)]}"
    )
    password = factory.django.Password(PASSWORD)

    class Params:
        platform_admin = factory.Trait(is_staff=True, is_superuser=True)
