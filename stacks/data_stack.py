"""The data tier: the platform's tables as global tables (DynamoDBReplicationStack in the notes)."""

from __future__ import annotations

from collections.abc import Mapping

from constructs import Construct

from aletheia_constructs.global_table import GlobalTable
from aletheia_constructs.table_definition import TableDefinition, validate_all
from envs import EnvironmentConfig
from stacks import tables as table_catalog
from stacks.base import AletheiaStack


def table_name(config: EnvironmentConfig, table: TableDefinition) -> str:
    """``<project>-<env>-<table>``: the physical table name."""
    return f"{config.prefix}-{table.name}"


class DataStack(AletheiaStack):
    """Every table of TABLES; replicas in BACKUP_REGION when multi-region is on."""

    def __init__(self, scope: Construct, stack_id: str, *, config: EnvironmentConfig,
                 alarm_topic_arns: Mapping[str, str], tables: tuple[TableDefinition, ...] | None = None) -> None:
        super().__init__(scope, stack_id, config=config)
        tables = table_catalog.TABLES if tables is None else tables
        validate_all(tables)
        replica_regions = (config.backup_region,) if config.enable_multi_region else ()
        providers = {region: self.provider_for(region) for region in config.regions}
        self.tables: dict[str, GlobalTable] = {
            table.construct_id: GlobalTable(
                self, table.construct_id, definition=table, table_name=table_name(config, table),
                account_id=self.account_id, primary_region=config.primary_region,
                replica_regions=replica_regions, providers=providers, alarm_topic_arns=alarm_topic_arns,
                deletion_protection=config.deletion_protection,
                alarms=config.table_alarms)
            for table in tables
        }
