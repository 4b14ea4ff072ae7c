"""Django, set up on a database of its own before anything imports a model."""

from __future__ import annotations

import os
from pathlib import Path


def prepare(directory: Path) -> None:
    """Point Django at a fresh SQLite file in directory, set it up and migrate it."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "nextecf.settings"
    # Four slashes: an absolute path, never the demo database in var/.
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    # Link confirmations send mail; the development default would write it to var/mail.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    # Filed documents go to the throwaway directory too, never to var/documents.
    os.environ["DOCUMENT_STORAGE_DIR"] = str(directory / "documents")
    # DEBUG keeps every query in memory, which would tax the timings.
    os.environ["DEBUG"] = "false"

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
