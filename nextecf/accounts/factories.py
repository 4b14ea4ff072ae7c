from __future__ import annotations

from typing import Any

import factory

from nextecf.accounts.models import Account

PASSWORD = "correct horse battery staple"  # noqa: S105 - test credential


class AccountFactory(factory.django.DjangoModelFactory[Account]):
    class Meta:
        model = Account
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"filer{n:05d}user")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda a: f"{a.username}@example.com")

    @classmethod
    def _create(cls, model_class: type[Account], *args: Any, **kwargs: Any) -> Account:
        password = kwargs.pop("password", PASSWORD)
        return model_class.objects.create_user(kwargs.pop("username"), password, **kwargs)
