"""The one line a command prints when its database is out of reach or not migrated (or a file it
writes cannot be), instead of a traceback: `main` routes every command's such errors here."""

import socket

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, ProgrammingError

from app.core.migrate import DatabaseOutOfDate, masked_url

MIGRATE = "run `switchboard migrate`"
NO_TABLE = ("no such table", "undefinedtable", "does not exist")
DATABASE_ERRORS = (DatabaseOutOfDate, DBAPIError, OSError)


def database_failure(error: BaseException, *, url: str) -> str | None:
    """One line naming what is wrong with the database and what to do; None if `error` is not
    a database failure (the caller re-raises it)."""
    where = masked_url(url)
    if isinstance(error, OSError) and error.filename:  # a file the command reads or writes
        return f"{error.strerror or error}: {error.filename}"
    if isinstance(error, DatabaseOutOfDate):
        return str(error)
    if isinstance(error, ProgrammingError | OperationalError) and _missing_table(error):
        return f"the database at {where} has no Switchboard tables: {MIGRATE}"
    if isinstance(error, OperationalError | InterfaceError | OSError):
        return f"cannot reach the database at {where}: {_reason(error)}"
    if isinstance(error, DBAPIError):
        return f"cannot use the database at {where}: {_reason(error)}"
    return None


def _missing_table(error: DBAPIError) -> bool:
    text = f"{type(error.orig).__name__} {error.orig}".lower()
    return any(marker in text for marker in NO_TABLE) and "database" not in str(error.orig)


def _reason(error: BaseException) -> str:
    cause = error.orig if isinstance(error, DBAPIError) else error
    if isinstance(cause, socket.gaierror):
        return f"unknown host ({cause})"
    text = " ".join(str(cause).split()) or type(cause).__name__
    return text if len(text) <= 200 else text[:197] + "..."
