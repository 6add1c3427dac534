"""The platform's DynamoDB tables, declared once. Adding a table is one entry here.

Each ``construct_id`` is a contract: renaming it replaces the table and loses
its data. ``tests/test_data_tier.py`` pins them.
"""

from __future__ import annotations

from aletheia_constructs.table_definition import Attribute, GlobalIndex, TableDefinition

TABLES: tuple[TableDefinition, ...] = (
    TableDefinition(
        construct_id="records",
        name="records",
        partition_key="pk",
        sort_key="sk",
        attributes=(Attribute("pk", "S"), Attribute("sk", "S"),
                    Attribute("gsi1pk", "S"), Attribute("gsi1sk", "S")),
        indexes=(GlobalIndex(name="gsi1", partition_key="gsi1pk", sort_key="gsi1sk"),),
        ttl_attribute="expires_at",
    ),
)

# The table the API reads and writes.
RECORDS_TABLE = "records"
