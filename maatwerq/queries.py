"""Queries built and compiled once per key and kept, per process.

Building a ``values()`` query that reaches through several relations (resolving each path's
joins and expressions) and compiling it to SQL costs Django more than PostgreSQL takes to run
it: the caseload's rows took 1.9 ms of Python to build, 1.2 ms to compile and 0.2 ms to run
(bench/lists_dashboard.py's database, coach0). A page asked for all day by the same people
builds its statement once per key and runs it on every request.

Only the statement is kept, never its results: every call runs it against the database as it
is now, on the database the router picks for this call, through Django's own result
conversion (``results_iter``). The key must hold everything the build reads
(``participants.selectors.visibility_key`` gives a user's scope for it), so that equal keys
build equal statements."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesIterable, ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class _Statement:
    sql: str | None  # None: the query can select nothing (Django's EmptyResultSet)
    params: tuple[Any, ...]
    compiler: SQLCompiler
    names: tuple[str, ...] | None  # a values() query's names (dict rows); None: tuples


class BuiltQueries:
    """Bounded least-recently-used statements, one per key and database, each compiled from
    the ``values()`` or ``values_list()`` queryset ``build(*args)`` returns."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], *, size: int = 1024) -> None:
        self._build = build
        self._size = size
        self._kept: OrderedDict[Hashable, tuple[QuerySet[Any, Any], dict[str, _Statement]]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def rows(self, key: Hashable, *args: Any) -> list[Any]:
        """The rows of the statement kept for ``key`` (dicts for ``values()``, tuples for
        ``values_list()``), run now; built with ``build(*args)`` when there is none (the
        arguments must be what ``key`` stands for)."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        if kept is None:
            kept = (self._build(*args), {})
            with self._lock:
                self._kept[key] = kept
                while len(self._kept) > self._size:
                    self._kept.popitem(last=False)
        query, statements = kept
        database = query.db  # the router's choice for this call (the replica, say)
        statement = statements.get(database)
        if statement is None:
            statement = statements[database] = _compile(query, database)
        if statement.sql is None:
            return []
        with connections[database].cursor() as cursor:
            cursor.execute(statement.sql, statement.params)
            fetched = cursor.fetchall()
        rows = statement.compiler.results_iter(results=[fetched], tuple_expected=True)
        if statement.names is None:
            return list(rows)
        names = statement.names
        return [dict(zip(names, row, strict=True)) for row in rows]

    def __len__(self) -> int:
        return len(self._kept)


def _compile(queryset: QuerySet[Any, Any], database: str) -> _Statement:
    query = queryset.query
    if queryset._iterable_class is ValuesIterable:
        names: tuple[str, ...] | None = (
            tuple(query.selected)
            if query.selected
            else (*query.extra_select, *query.values_select, *query.annotation_select)
        )
    elif queryset._iterable_class is ValuesListIterable:
        names = None
    else:
        raise TypeError("BuiltQueries keeps values() and values_list() queries only.")
    compiler = query.get_compiler(database)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Statement(None, (), compiler, names)
    return _Statement(sql, tuple(params), compiler, names)
