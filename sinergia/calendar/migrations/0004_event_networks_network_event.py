"""An index on (network, event) of the events' networks, so that a network's events are read from the index alone.

The clash check reads every event of the subjects' networks (thousands, for a national network) to pick those of
its candidates; through the index on the network alone it visited a table page for each. Written in SQL: the table
is the one Django creates for Event.networks, whose indexes a migration cannot declare; the state has nothing to add.
"""

from django.db import migrations

INDEX = "calendar_event_networks_network_event"


class Migration(migrations.Migration):

    dependencies = [
        ("calendar", "0003_occurrence_cell_and_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {INDEX} ON calendar_event_networks (network_id, event_id)",
            reverse_sql=f"DROP INDEX {INDEX}",
        ),
    ]
