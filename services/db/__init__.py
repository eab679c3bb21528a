"""The database layer: engine and sessions, column types, the unit of work, schema migrations and the audit log.

Services receive a session from the edge (see ``services.db.uow``); they never open one of their own.
"""
from services.db.engine import (
    Base,
    Geometry,
    get_engine,
    new_session,
    read_session,
    transaction,
)

__all__ = ["Base", "Geometry", "get_engine", "new_session", "read_session", "transaction"]
