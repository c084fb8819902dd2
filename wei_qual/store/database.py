"""The project connection: reads and plain writes on the standard library's sqlite3.

Every command opens its project through this class. sqlite-utils stays the tool for the schema (the
migrations) and for the few writes that use its table helpers (`db.table(name).insert(...)`), and is
imported only when one of those runs: importing sqlite-utils imports pandas and numpy whenever they are
installed (about 0.4 s of a report's start-up on a researcher's machine), and a report, `agree` or the
coding session never needs them. See docs/performance.md.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..migrations import import_sqlite_utils


def remembered(read: Callable[..., Any]) -> Callable[..., Any]:
    """A store read of (db, *hashable arguments) with an immutable result, kept by Database.remembered."""

    @functools.wraps(read)
    def remember(db: Database, *args: Any) -> Any:
        if not isinstance(db, Database):  # a bare sqlite-utils Database (a test's): read it
            return read(db, *args)
        return db.remembered((read.__qualname__, *args), lambda: read(db, *args))

    return remember


def _keys(description) -> list[str]:
    """Column names of a result, a repeated name numbered as sqlite-utils does (id, id_2)."""
    keys: list[str] = []
    seen: set[str] = set()
    for column in description:
        name = column[0]
        if name in seen:
            for n in itertools.count(2):
                if f"{name}_{n}" not in seen:
                    name = f"{name}_{n}"
                    break
        seen.add(name)
        keys.append(name)
    return keys


class Database:
    """A project connection with the part of sqlite-utils' Database API that the store uses.

    `execute` and `query` run on sqlite3 directly; `table()`, `atomic()` and anything else are
    sqlite-utils' own, on the same connection, loaded on first use.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._utils = None
        self.created = False  # open_db made this project (store.discard_if_unused may remove it)
        self._kept: dict[tuple, Any] = {}  # remembered() reads, for the project as it is at _kept_at
        self._kept_at: tuple[int, int] | None = None

    def remembered(self, key: tuple, read: Callable[[], Any]) -> Any:
        """read() once while the project is unchanged, by this connection (its total changes, written or
        not) and by any other (SQLite's data_version), then its result again: for a read that one command
        makes twice (a report's warning and its number). The result must be immutable."""
        state = (self.conn.total_changes, self.conn.execute("PRAGMA data_version").fetchone()[0])
        if state != self._kept_at:
            self._kept.clear()
            self._kept_at = state
        if key not in self._kept:
            self._kept[key] = read()
        return self._kept[key]

    def execute(self, sql: str, parameters: Sequence | dict[str, Any] | None = None) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def executemany(self, sql: str, rows) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Sequence | dict[str, Any] | None = None) -> Iterator[dict]:
        """Rows of a SELECT as dicts (column name -> value), fetched lazily."""
        cursor = self.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() can only be used with SQL that returns rows - use execute()")
        keys = _keys(cursor.description)
        return (dict(zip(keys, row)) for row in cursor)

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """A transaction, or a savepoint inside one."""
        if self.conn.in_transaction:
            self.conn.execute("SAVEPOINT wei_qual_atomic")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK TO SAVEPOINT wei_qual_atomic")
                    self.conn.execute("RELEASE SAVEPOINT wei_qual_atomic")
                raise
            else:
                self.conn.execute("RELEASE SAVEPOINT wei_qual_atomic")
            return
        self.conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            self.conn.execute("COMMIT")

    @property
    def utils(self):
        """sqlite-utils' Database on this connection (imported on first use)."""
        if self._utils is None:
            # No plugins: sqlite-utils' plugin hook scans every installed package's entry points.
            self._utils = import_sqlite_utils().Database(self.conn, execute_plugins=False)
        return self._utils

    def table(self, name: str, **kwargs: Any):
        return self.utils.table(name, **kwargs)

    def __getitem__(self, name: str):
        return self.utils[name]

    def __getattr__(self, name: str):
        # Only reached for attributes this class lacks (table_names, tables, ...).
        if name.startswith("__") or name in ("_utils", "conn"):
            raise AttributeError(name)
        return getattr(self.utils, name)
