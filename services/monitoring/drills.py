"""Drills (演练, issue 15 point 6): a file of readings replayed at a chosen speed against a copy of the situation.

``prepare_drill`` copies the live database (services/db/copy.py) into the drill's own and returns the settings of
a process serving it: every page there says 演练 (QJ_DRILL), its CAP messages are exercises and no message goes to
the SMS/voice gateway. ``deliver`` is one
replayed batch in that copy: the readings stored, the rule evaluated at the batch's time and its proposals raised,
as a live batch would be (services/monitoring/chain.py), so the duty officer confirms, warns, calls and moves
people in the copy while the live records stay as they were. The process's clock follows the replay (each batch
sets "now" to its time), so rolling sums, 离线 and waiting times are judged in the storm's time.
"""
from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from config import Settings
from services.accounts.permissions import Principal
from services.clock import follow_replay
from services.db.copy import copy_database, drill_database_url
from services.db.uow import UnitOfWork
from services.monitoring.chain import after_readings
from services.monitoring.readings import ingest
from services.monitoring.replay import Batch, ReplayReading

log = logging.getLogger(__name__)
# Who stores the replayed readings: the replay itself, as a station's gateway would (audited under this name).
REPLAY = Principal(0, "drill-replay", "drill replay", "admin", via="system")


def prepare_drill(settings: Settings, name: str) -> Settings:
    """Copy the live database into the drill ``name``'s own (made anew) and return the drill's settings."""
    if settings.drill:
        raise ValueError(f"already a drill ({settings.drill}): a drill is copied from the live system")
    url = drill_database_url(settings.database_url, name, settings.instance_dir)
    report = copy_database(settings.database_url, url)
    log.info("drill %s: %d rows copied into %s", name, sum(report.rows.values()), url)
    # A drill sends nothing through the SMS/voice gateway: its warnings go to real people's phones only as the duty
    # officer reads them out; the copy's personal 叫应 links are the drill server's.
    quiet = dataclasses.replace(settings.notifications, webhook_url=None)
    return dataclasses.replace(settings, database_url=url, drill=name, notifications=quiet)


def load_readings(path: Path, settings: Settings) -> list[ReplayReading]:
    """The readings of a CSV or Excel file (the columns of ``import-readings``), parsed; ImportRejected if bad."""
    from services.data.tables import read_file
    from services.monitoring.reading_import import read_readings
    sheet = read_readings(read_file(path.read_bytes(), path.name, limits=settings.imports), settings)
    return [ReplayReading(r["station"], r["kind"], r["at"], r["value"], r.get("unit")) for r in sheet.readings]


def deliver(uow: UnitOfWork, batch: Batch) -> dict:
    """Store one replayed batch in ``uow`` (a writing unit of work on the drill's database, acting as ``REPLAY``:
    the edge opens it, dashboard/cli_monitoring.py) and run the rule on it; returns what it did."""
    if not uow.settings.drill:
        raise ValueError("a replay is delivered only to a drill's database")
    follow_replay(batch.at)
    rows = [{"station": r.station, "at": r.at, "kind": r.kind, "value": r.value, **({"unit": r.unit} if r.unit
                                                                                     else {})}
            for r in batch.readings]
    result = ingest(uow, rows)
    chain = after_readings(uow, result, now=batch.at)
    return {"at": batch.at.isoformat(), **result.to_json(), **chain.to_json()}

