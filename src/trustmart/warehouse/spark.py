"""The warehouse on Apache Spark, read over a Thrift server with PyHive (the
`spark` dbt target). The project's schemas (raw, staging, intermediate,
marts, reference) are Spark databases of the same names.

PyHive comes with the Spark lane (`bash scripts/bootstrap.sh spark`), not
with the default install: it is imported when a connection is opened.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from trustmart.errors import TrustmartError
from trustmart.warehouse.base import Params, Target, Warehouse, WarehouseError

if TYPE_CHECKING:
    import pandas as pd

#: SQL string literals, quoted identifiers and comments (left as they are),
#: or a `?` placeholder or a `%` (rewritten for PyHive's pyformat style).
_TOKEN = re.compile(r"'(?:[^'\\]|\\.|'')*'|`[^`]*`|\"[^\"]*\"|--[^\n]*|[?%]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def spark_address() -> tuple[str, int, str]:
    """(host, port, user) of the Thrift server, from the environment as
    the `spark` profile reads it (profiles/profiles.yml)."""
    host = os.environ.get("TRUSTMART_SPARK_HOST") or "127.0.0.1"
    port = int(os.environ.get("TRUSTMART_SPARK_PORT") or "10000")
    user = os.environ.get("TRUSTMART_SPARK_USER") or "trustmart"
    return host, port, user


def _hive() -> Any:
    """PyHive's hive module, or a TrustmartError saying how to install it."""
    try:
        from pyhive import hive
    except ImportError as error:
        raise TrustmartError(
            "Reading the warehouse on Spark needs PyHive, which is part of the Spark lane "
            "and is not installed.",
            "Run `bash scripts/bootstrap.sh spark` to install the Spark lane, then try again.",
        ) from error
    return hive


def pyformat(sql: str) -> str:
    """`sql` with its `?` placeholders (not those in string literals, quoted
    names or comments) as PyHive's `%s`, and every `%` as `%%` (PyHive
    formats the whole statement with Python's `%`)."""

    def swap(match: re.Match[str]) -> str:
        token = match.group()
        return "%s" if token == "?" else token.replace("%", "%%")

    return _TOKEN.sub(swap, sql)


def _name(value: str) -> str:
    """`value` as a Spark identifier; only plain names are accepted."""
    if not _NAME.fullmatch(value):
        raise ValueError(f"not a plain Spark name: {value!r}")
    return f"`{value}`"


def _message(error: Exception) -> str:
    """The server's own message of a PyHive error (not the Thrift dump)."""
    for arg in error.args:
        status = getattr(arg, "status", None)
        message = getattr(status, "errorMessage", None)
        if message:
            return str(message).strip()
    return str(error).strip() or type(error).__name__


def _date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class SparkWarehouse(Warehouse):
    """A connection to a Spark Thrift server. PyHive already returns
    DECIMAL as Decimal and TIMESTAMP as datetime; DATE is returned as a
    date here (PyHive leaves it a string)."""

    target: Target = "spark"

    def __init__(self, host: str, port: int, user: str) -> None:
        hive = _hive()
        self.location = f"thrift://{host}:{port}"
        try:
            self._con = hive.connect(host=host, port=port, username=user)
        except Exception as error:  # thrift transport, socket, SASL: all say "no server"
            raise WarehouseError(
                f"Cannot connect to the Spark Thrift server at {host}:{port}: {_message(error)}"
            ) from error
        self._closed = False

    @contextmanager
    def _cursor(self, sql: str, params: Params) -> Iterator[Any]:
        from pyhive import exc

        cursor = self._con.cursor()
        try:
            if params is None:
                cursor.execute(sql)
            else:
                cursor.execute(pyformat(sql), tuple(params))
            yield cursor
        except exc.Error as error:
            raise WarehouseError(_message(error)) from error
        finally:
            cursor.close()

    @staticmethod
    def _rows(cursor: Any) -> tuple[list[str], list[tuple]]:
        description = cursor.description or []
        names = [column[0] for column in description]
        rows = [tuple(row) for row in cursor.fetchall()]
        dates = [i for i, column in enumerate(description) if column[1] == "DATE_TYPE"]
        if dates:
            rows = [tuple(_date(v) if i in dates else v for i, v in enumerate(row)) for row in rows]
        return names, rows

    def query(self, sql: str, params: Params = None) -> list[tuple]:
        with self._cursor(sql, params) as cursor:
            return self._rows(cursor)[1]

    def one(self, sql: str, params: Params = None) -> tuple | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        import pandas as pd

        with self._cursor(sql, params) as cursor:
            names, rows = self._rows(cursor)
        return pd.DataFrame.from_records(rows, columns=names)

    def execute(self, sql: str, params: Params = None) -> None:
        with self._cursor(sql, params):
            pass

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.execute(sql, row)

    def tables(self, schema: str = "marts") -> set[str]:
        if not self.query("show databases like ?", [schema]):
            return set()
        relations = {name for _db, name, temporary in self._show("tables", schema) if not temporary}
        views = {name for _db, name, _temporary in self._show("views", schema)}
        return relations - views

    def _show(self, what: str, schema: str) -> list[tuple]:
        return self.query(f"show {what} in {_name(schema)}")

    def columns(self, table: str, schema: str = "marts") -> set[str]:
        if not self.query("show databases like ?", [schema]):
            return set()
        if not self.query(f"show tables in {_name(schema)} like ?", [table]):
            return set()
        rows = self.query(f"show columns in {_name(schema)}.{_name(table)}")
        return {name.strip() for (name, *_rest) in rows}

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._con.close()


def open_spark(host: str | None = None, port: int | None = None) -> SparkWarehouse:
    """A connection to the Spark Thrift server at host:port (default:
    TRUSTMART_SPARK_HOST / TRUSTMART_SPARK_PORT, else 127.0.0.1:10000).
    TrustmartError when PyHive is not installed (the Spark lane);
    WarehouseError when no server answers."""
    default_host, default_port, user = spark_address()
    return SparkWarehouse(host or default_host, port or default_port, user)
