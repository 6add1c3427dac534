"""Typed DynamoDB table definitions, checked before anything is synthesized."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_ATTRIBUTE_TYPES = ("S", "N", "B")


class TableDefinitionError(ValueError):
    """A table definition is inconsistent; the message names the table and the field."""


@dataclass(frozen=True)
class Attribute:
    """A key attribute: its name and DynamoDB scalar type (S, N or B)."""

    name: str
    type: str = "S"


@dataclass(frozen=True)
class GlobalIndex:
    """A global secondary index over declared attributes."""

    name: str
    partition_key: str
    sort_key: str | None = None
    projection: str = "ALL"


@dataclass(frozen=True)
class TableDefinition:
    """One table of the platform.

    ``construct_id`` is the Terraform identity of the table: renaming it
    replaces the table and loses its data (tests pin it).
    ``attributes`` declares every attribute used by the key or an index, and no other.
    """

    construct_id: str
    name: str
    partition_key: str
    attributes: tuple[Attribute, ...]
    sort_key: str | None = None
    indexes: tuple[GlobalIndex, ...] = ()
    ttl_attribute: str | None = None

    def validate(self) -> None:
        """Raise TableDefinitionError naming the first inconsistency."""
        where = f"table {self.construct_id!r}"
        for label, value in (("construct_id", self.construct_id), ("name", self.name)):
            if not _NAME_RE.match(value):
                raise TableDefinitionError(f"{where}: {label} {value!r} is not a-z, 0-9 and '_' "
                                           "starting with a letter")
        declared: dict[str, str] = {}
        for attribute in self.attributes:
            if attribute.type not in _ATTRIBUTE_TYPES:
                raise TableDefinitionError(f"{where}: attribute {attribute.name!r} has type {attribute.type!r} "
                                           f"(accepted: {', '.join(_ATTRIBUTE_TYPES)})")
            if attribute.name in declared:
                raise TableDefinitionError(f"{where}: attribute {attribute.name!r} is declared twice")
            declared[attribute.name] = attribute.type
        used: list[tuple[str, str]] = [("partition key", self.partition_key)]
        if self.sort_key:
            used.append(("sort key", self.sort_key))
        index_names = set()
        for index in self.indexes:
            if index.name in index_names:
                raise TableDefinitionError(f"{where}: index {index.name!r} is declared twice")
            index_names.add(index.name)
            if index.projection not in ("ALL", "KEYS_ONLY"):
                raise TableDefinitionError(f"{where}: index {index.name!r} projection {index.projection!r} "
                                           "(accepted: ALL, KEYS_ONLY)")
            used.append((f"index {index.name!r} partition key", index.partition_key))
            if index.sort_key:
                used.append((f"index {index.name!r} sort key", index.sort_key))
        for role, attribute in used:
            if attribute not in declared:
                raise TableDefinitionError(f"{where}: {role} {attribute!r} is not a declared attribute "
                                           f"(declared: {', '.join(declared) or 'none'})")
        unused = set(declared) - {attribute for _, attribute in used}
        if unused:
            raise TableDefinitionError(f"{where}: attribute(s) {', '.join(sorted(unused))} are declared but "
                                       "used by no key or index (DynamoDB rejects them)")
        if self.ttl_attribute is not None:
            if self.ttl_attribute in declared:
                raise TableDefinitionError(f"{where}: TTL attribute {self.ttl_attribute!r} must not be a key attribute")
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", self.ttl_attribute):
                raise TableDefinitionError(f"{where}: TTL attribute {self.ttl_attribute!r} is not a valid name")


def validate_all(tables: tuple[TableDefinition, ...]) -> None:
    """Validate each table and that construct ids and names are unique."""
    for attr in ("construct_id", "name"):
        values = [getattr(table, attr) for table in tables]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise TableDefinitionError(f"tables: {attr} {', '.join(duplicates)} used more than once")
    for table in tables:
        table.validate()
