from django.db import migrations

# The taggings of a concept with their resources in the index itself: the search's concept tier reads them
# without visiting the table (see sinergia.library.search.sql.concept_rows). The tagging table is the one Django
# creates for Resource.topics, which takes no Meta.indexes, hence plain SQL (the same on PostgreSQL and SQLite).
INDEX = "library_res_topics_concept_idx"


class Migration(migrations.Migration):

    dependencies = [
        ("library", "0004_search_sample_index"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {INDEX} ON library_resource_topics (concept_id, resource_id)",
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
