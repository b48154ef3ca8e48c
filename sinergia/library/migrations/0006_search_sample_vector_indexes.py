from django.db import migrations

# PostgreSQL: the search vectors of the sample of broad searches (one resource in 64 by id, as
# sinergia.library.search.sql.SAMPLE_MODULUS and the index library_res_sample_idx) in GIN indexes of their own.
# Their lists are 64 times shorter than the whole table's, so the sample's matches are found through them rather than
# by reading the vectors of every resource of the sample (see sinergia.library.search.postgres.sources).
# SQLite's FTS5 tables read the sample by rowid already.
INDEXES = {
    "library_res_sample_vector_idx": "search_vector",
    "library_res_sample_body_idx": "search_body",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON library_resource USING gin ({column}) "
                                  "WHERE (id % 64) = 0", params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("library", "0005_topics_concept_index"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
