"""Search storage for the library, per database (see sinergia/library/search/).

PostgreSQL: on library_resource, columns kept outside the model (so that no save() rewrites them) — search_vector
(title A, creators B, abstract, container and publisher C) and search_body (extracted text D) — with GIN indexes;
the words of titles with a pg_trgm GIN index, for typo tolerance.
SQLite: FTS5 tables keyed by the resource id, holding terms stemmed in Python; the words of titles with an FTS5
trigram index.
A database that already holds resources needs `manage.py library_reindex` after this migration.
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE library_resource ADD COLUMN search_vector tsvector, ADD COLUMN search_body tsvector",
    # Kept in the row (compressed) rather than in TOAST: ranking reads every matched description vector.
    "ALTER TABLE library_resource ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX library_resource_search_vector_idx ON library_resource USING gin (search_vector)",
    "CREATE INDEX library_resource_search_body_idx ON library_resource USING gin (search_body)",
    "CREATE TABLE library_search_word (word text PRIMARY KEY)",
    "CREATE INDEX library_search_word_trgm_idx ON library_search_word USING gin (word gin_trgm_ops)",
]
POSTGRESQL_BACKWARD = [
    "DROP TABLE IF EXISTS library_search_word",
    "DROP INDEX IF EXISTS library_resource_search_body_idx",
    "DROP INDEX IF EXISTS library_resource_search_vector_idx",
    "ALTER TABLE library_resource DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS search_body",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE library_search_meta USING fts5(title, creators, abstract, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE library_search_body USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TABLE library_search_word (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE library_search_word_trgm USING fts5(word, content = 'library_search_word', "
    "content_rowid = 'id', tokenize = 'trigram')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS library_search_word_trgm",
    "DROP TABLE IF EXISTS library_search_word",
    "DROP TABLE IF EXISTS library_search_body",
    "DROP TABLE IF EXISTS library_search_meta",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("library", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
