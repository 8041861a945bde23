"""SQLite stores a NUL; PostgreSQL refuses a query that carries one (psycopg raises ValueError, an
HTTP 500). `refusing_nul_like_postgresql()` makes the test database refuse it too, so that a test on
SQLite catches what would fail in production."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def refusing_nul_like_postgresql():
    def refuse(execute, sql, params, many, context):
        flat = [p for group in params for p in group] if many else list(params or ())
        if any(isinstance(p, str) and "\x00" in p for p in flat) or "\x00" in sql:
            raise ValueError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield
