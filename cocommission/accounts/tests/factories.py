import factory
from factory.django import DjangoModelFactory

from cocommission.accounts.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    class Params:
        platform_admin = factory.Trait(is_staff=True, is_superuser=True)
