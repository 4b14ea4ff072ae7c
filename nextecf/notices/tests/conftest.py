"""The NEF tests file through the filing screens: they share the filing tests' fixtures."""

from nextecf.filing.tests.conftest import (  # noqa: F401
    as_filer,
    case,
    events,
    filer_of_record,
)
