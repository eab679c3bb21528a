"""The database layer: engine and sessions, column types, the unit of work, schema migrations and the audit log.

The edge (API handler, callback, CLI command) opens one unit of work (``services.db.uow``) and passes it to
services, which never open a session of their own.
"""
from services.db.engine import Base, get_engine, new_session, read_session, transaction
from services.db.types import Geometry, UTCDateTime

__all__ = ["Base", "Geometry", "UTCDateTime", "get_engine", "new_session", "read_session", "transaction"]
