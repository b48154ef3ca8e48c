"""Search storage for the desk's questions, per database (see sinergia/desk/search/).

PostgreSQL: on desk_question, a column kept outside the model (so that no save() rewrites it) — search_vector
(title A, details B, the accepted and the experts' answers C), analysed in the question's language — with a GIN
index. SQLite: an FTS5 table keyed by the question id, holding terms stemmed in Python.
The service keeps both up to date (no trigger); a database that already holds questions needs
`manage.py desk_reindex` after this migration.
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    "ALTER TABLE desk_question ADD COLUMN search_vector tsvector",
    # Kept in the row (compressed) rather than in TOAST: ranking reads every matched vector.
    "ALTER TABLE desk_question ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX desk_question_search_vector_idx ON desk_question USING gin (search_vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS desk_question_search_vector_idx",
    "ALTER TABLE desk_question DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE desk_question_search USING fts5(title, body, answers, "
    "tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS desk_question_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("desk", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
