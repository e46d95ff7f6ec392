"""The table of the shared cache (settings.CACHES["shared"], Django's DatabaseCache; the API's rate counts live there).

Made by a migration so that every ``migrate`` (``xhht serve``, ``xhht demo``, ``xhht restore``, a deployment's own)
makes it, on SQLite and PostgreSQL alike, with exactly the columns of Django's ``createcachetable``, which is what
runs. A table ``createcachetable`` has already made is kept.
"""

from typing import Any

from django.core.management import call_command
from django.db import migrations

TABLE = "xhht_cache"  # settings.CACHES["shared"]["LOCATION"]


def create(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(create, drop)]
