"""The WSGI entry point for running several server processes: ``gunicorn -w 4 dashboard.wsgi:application``.

Settings come from the environment as for ``make run`` (DATABASE_URL should then name PostgreSQL); the schema
must exist (``python app.py init-db`` once). Each process builds its own app; the database is the shared state.
"""
from __future__ import annotations

from config import load_settings
from dashboard.app import create_app

application = create_app(load_settings()).server
