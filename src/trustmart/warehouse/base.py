"""What every warehouse connection offers (trustmart.warehouse)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pandas is imported when a frame is asked for
    import pandas as pd

#: The dbt targets the warehouse can be built on (profiles/profiles.yml).
Target = Literal["duckdb", "spark"]
TARGETS: tuple[Target, ...] = ("duckdb", "spark")

Params = Sequence[Any] | None


class WarehouseError(Exception):
    """The engine failed (query, connection, file): its message, unchanged;
    the engine's own exception is the cause."""


class Warehouse(ABC):
    """An open connection to a built warehouse; close it (or use `with`)."""

    #: which target this connection reads: "duckdb" or "spark"
    target: Target
    #: where the warehouse is, for messages: a file path, or thrift://host:port
    location: str

    @abstractmethod
    def query(self, sql: str, params: Params = None) -> list[tuple]:
        """Every row of `sql` (`?` placeholders bound to `params`)."""

    @abstractmethod
    def one(self, sql: str, params: Params = None) -> tuple | None:
        """The first row of `sql`, or None when there is none."""

    @abstractmethod
    def frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        """The result of `sql` as a pandas DataFrame."""

    @abstractmethod
    def execute(self, sql: str, params: Params = None) -> None:
        """Run a statement that returns nothing to read (DDL, insert)."""

    @abstractmethod
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run `sql` once per row of parameters."""

    @abstractmethod
    def tables(self, schema: str = "marts") -> set[str]:
        """Names of the base tables (not views) in `schema`; empty when the
        schema does not exist."""

    @abstractmethod
    def columns(self, table: str, schema: str = "marts") -> set[str]:
        """Column names of `schema.table` (a table or a view); empty when
        there is no such relation."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection (again is a no-op)."""

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
