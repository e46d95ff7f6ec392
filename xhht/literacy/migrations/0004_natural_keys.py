"""Persons and households keyed by their natural keys, for the disk (issue 13; docs/performance.md).

* ``SurveyPerson``: primary key (commune, year, person_id) instead of the surrogate ``id`` plus a unique constraint
  on the same columns; ``name_folded`` dropped (the name search folds the names on read, with ``fold()``).
* ``Household``: primary key (commune, year, code) instead of ``id`` plus its unique constraint; no separate index
  on the commune (the key's first column).

Django cannot turn a table's primary key into a composite one in place, so each table is rebuilt, on SQLite and
PostgreSQL alike: the old table is renamed aside and its indexes and constraints dropped (their names are the new
table's), the new table is made by the schema editor from the new model (exactly what a fresh database gets), the rows
are copied by one ``INSERT … SELECT`` in key order (a dense key index; one commune-year's rows together), and the old
table is dropped. The audit entries of person edits named the person by the old ``id``: they are given the key the
editor records now, "commune/year/person_id". Backwards does the same the other way: rows numbered again, names
folded again by ``fold()`` (the one definition), audit entries given the new numbers.
"""

from __future__ import annotations

from typing import Any, Callable

import django.db.models.deletion
from django.db import migrations, models
from django.db.migrations.operations.base import Operation


def _drop_keys(schema_editor: Any, table: str) -> None:
    """Drop every index and constraint of ``table`` whose name a new table would want again."""
    connection = schema_editor.connection
    qn = schema_editor.quote_name
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    for name, info in found.items():
        if connection.vendor == "postgresql":
            if info["primary_key"] or info["unique"] or info["foreign_key"] or info["check"]:
                schema_editor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT IF EXISTS {qn(name)}")
            if info["index"]:
                schema_editor.execute(f"DROP INDEX IF EXISTS {qn(name)}")
        elif info["index"] and not info["primary_key"] and not name.startswith("sqlite_autoindex_"):
            # SQLite: index names are the database's (constraints written in the table are the table's own)
            schema_editor.execute(f"DROP INDEX IF EXISTS {qn(name)}")


def _key_text(alias: str) -> str:
    """SQL, both vendors: the person's key as the audit log names it, "commune/year/person_id" (64 characters at most)."""
    return f"substr({alias}.commune_id || '/' || CAST({alias}.year AS varchar(8)) || '/' || {alias}.person_id, 1, 64)"


def _audit_to_keys(schema_editor: Any, old_table: str, new_table: str) -> None:
    qn = schema_editor.quote_name
    schema_editor.execute(
        f"""UPDATE audit_auditentry SET object_id = (
                SELECT {_key_text('p')} FROM {qn(old_table)} p WHERE CAST(p.id AS varchar(20)) = audit_auditentry.object_id)
            WHERE object_type = 'literacy.surveyperson' AND action = 'survey_person_update'
              AND object_id IN (SELECT CAST(id AS varchar(20)) FROM {qn(old_table)})""")


def _audit_to_ids(schema_editor: Any, old_table: str, new_table: str) -> None:
    qn = schema_editor.quote_name
    schema_editor.execute(
        f"""UPDATE audit_auditentry SET object_id = (
                SELECT CAST(p.id AS varchar(20)) FROM {qn(new_table)} p WHERE {_key_text('p')} = audit_auditentry.object_id)
            WHERE object_type = 'literacy.surveyperson' AND action = 'survey_person_update'
              AND object_id IN (SELECT {_key_text('p')} FROM {qn(new_table)} p)""")


def _names_fold(schema_editor: Any, old_table: str, new_table: str) -> None:
    """Fill name_folded again: each distinct name folded once by fold(), then one UPDATE through a keyed table."""
    from xhht.core.text import fold

    qn = schema_editor.quote_name
    folds = "literacy_name_fold"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT full_name FROM {qn(new_table)}")
        names = [name for (name,) in cursor.fetchall()]
        cursor.execute(f"CREATE TABLE {folds} (source varchar(120) NOT NULL PRIMARY KEY, folded varchar(120) NOT NULL)")
        cursor.executemany(f"INSERT INTO {folds} (source, folded) VALUES (%s, %s)", [(name, fold(name)[:120]) for name in names])
        cursor.execute(f"UPDATE {qn(new_table)} SET name_folded = (SELECT f.folded FROM {folds} f WHERE f.source = {qn(new_table)}.full_name)")
        cursor.execute(f"DROP TABLE {folds}")


def _persons_back(schema_editor: Any, old_table: str, new_table: str) -> None:
    _names_fold(schema_editor, old_table, new_table)
    _audit_to_ids(schema_editor, old_table, new_table)


Hook = Callable[[Any, str, str], None]


class RebuildTable(Operation):
    """Change ``model_name``'s state by ``operations`` and rebuild its table to match, copying the rows in ``order``
    (columns both layouts have).

    ``forwards_hook``/``backwards_hook`` run after the copy, with (schema editor, old table, new table) while both exist;
    ``backwards_fill``: SQL values of the columns the old layout has and the new one does not."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name: str, operations: list[Operation], order: tuple[str, ...], backwards_fill: dict[str, str] | None = None,
                 forwards_hook: Hook | None = None, backwards_hook: Hook | None = None):
        self.model_name = model_name
        self.operations = operations
        self.order = order
        self.backwards_fill = backwards_fill or {}
        self.forwards_hook, self.backwards_hook = forwards_hook, backwards_hook
        super().__init__()

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__name__, [], {"model_name": self.model_name, "operations": self.operations, "order": self.order}

    def state_forwards(self, app_label: str, state: Any) -> None:
        for operation in self.operations:
            operation.state_forwards(app_label, state)

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._rebuild(schema_editor, from_state.apps.get_model(app_label, self.model_name), to_state.apps.get_model(app_label, self.model_name),
                      self.order, {}, self.forwards_hook)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._rebuild(schema_editor, from_state.apps.get_model(app_label, self.model_name), to_state.apps.get_model(app_label, self.model_name),
                      self.order, self.backwards_fill, self.backwards_hook)

    @staticmethod
    def _rebuild(schema_editor: Any, source: type[models.Model], target: type[models.Model], order: tuple[str, ...],
                 fill: dict[str, str], hook: Hook | None) -> None:
        qn = schema_editor.quote_name
        table = target._meta.db_table
        aside = f"{table}_old"
        schema_editor.execute(f"ALTER TABLE {qn(table)} RENAME TO {qn(aside)}")
        _drop_keys(schema_editor, aside)
        schema_editor.create_model(target)  # its secondary indexes and foreign keys are made at the migration's end
        source_columns = {f.column for f in source._meta.concrete_fields}
        columns = [f.column for f in target._meta.concrete_fields if f.column in source_columns]
        extra = [c for c in fill if c not in source_columns]
        schema_editor.execute(
            f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in [*columns, *extra])}) "
            f"SELECT {', '.join([*(qn(c) for c in columns), *(fill[c] for c in extra)])} FROM {qn(aside)} "
            f"ORDER BY {', '.join(qn(c) for c in order)}")
        if hook is not None:
            hook(schema_editor, aside, table)
        schema_editor.execute(f"DROP TABLE {qn(aside)}")

    def describe(self) -> str:
        return f"Rebuild {self.model_name}'s table for its new primary key"


def _natural_key(model_name: str, unique: str, fields: tuple[str, ...]) -> list[Operation]:
    """The unique constraint on ``fields`` and the surrogate ``id`` give way to the primary key on ``fields``."""
    return [
        migrations.RemoveConstraint(model_name=model_name, name=unique),
        migrations.RemoveField(model_name=model_name, name='id'),
        migrations.AddField(model_name=model_name, name='pk',
                            field=models.CompositePrimaryKey(*fields, blank=True, editable=False, primary_key=True, serialize=False)),
    ]


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('literacy', '0003_person_fewer_indexes'),
        ('units', '0003_merge_0002_unit_change_0002_unit_closure'),
    ]

    operations = [
        RebuildTable(
            model_name='surveyperson',
            operations=[
                *_natural_key('surveyperson', 'literacy_person_unique', ('commune', 'year', 'person_id')),
                migrations.RemoveField(model_name='surveyperson', name='name_folded'),
            ],
            order=('commune_id', 'year', 'person_id'),
            backwards_fill={"name_folded": "''"}, forwards_hook=_audit_to_keys, backwards_hook=_persons_back,
        ),
        RebuildTable(
            model_name='household',
            operations=[
                *_natural_key('household', 'literacy_household_unique', ('commune', 'year', 'code')),
                migrations.AlterField(
                    model_name='household',
                    name='commune',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='units.unit', verbose_name='xã'),
                ),
            ],
            order=('commune_id', 'year', 'code'),
        ),
    ]
