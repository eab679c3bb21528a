"""The command line of 风险感知 (issue 15), called by app.py: station readings and thresholds from files, and drills.

    python app.py import-readings FILE [--drill N]
    python app.py import-thresholds FILE   (columns 隐患点编号 or 站点编码, 指标, 阈值)
    python app.py drill --readings FILE [--name NAME] [--speed 60] [--port 8051] [--no-serve]
"""
from __future__ import annotations

import sys

from config import ROOT

from app import NO_SCHEMA, NO_SCHEMA_CODE, _database_problem, _say


def add_parsers(sub) -> None:
    readings = sub.add_parser("import-readings", help="import station readings from a CSV or .xlsx file")
    readings.add_argument("file")
    readings.add_argument("--drill", type=int, default=0, help="drill number; 0: live data")
    readings.add_argument("--actor", default="cli")
    thr = sub.add_parser("import-thresholds", help="set thresholds from a CSV or .xlsx file (columns: the hazard "
                                                   "point's or the station's code, metric, value), all or nothing")
    thr.add_argument("file")
    thr.add_argument("--actor", default="cli")
    drill = sub.add_parser("drill", help="a drill: copy the live database and replay a readings file against the "
                                         "copy at a chosen speed, serving the copy (every page says it is a drill)")
    drill.add_argument("--readings", default=str(ROOT / "data" / "sample" / "monitoring" / "storm.csv"),
                       help="the readings to replay (columns of import-readings; default: the sample storm)")
    drill.add_argument("--name", default="storm", help="the drill's name: a–z, 0–9, _ (its database is named after it)")
    drill.add_argument("--speed", type=float, default=60.0, help="times real time (60: an hour of storm a minute)")
    drill.add_argument("--port", type=int, default=None, help="port of the drill's server (default: the app's + 1)")
    drill.add_argument("--no-serve", action="store_true", help="replay only, serve nothing (another process serves "
                                                               "the copy with DATABASE_URL and QJ_DRILL)")


def _ready(path, settings) -> bool:
    """The file exists and the database has its schema; else the reason is printed (exit code 2)."""
    if not path.is_file():
        print(_say("cli.no_such_file", path=str(path)), file=sys.stderr)
        return False
    problem = _database_problem(settings)
    if problem:
        print(NO_SCHEMA if problem == NO_SCHEMA_CODE else problem, file=sys.stderr)
        return False
    return True


def _import_readings(args, settings) -> int:
    """Station readings from a CSV or Excel file, all or nothing (services/monitoring/reading_import.py)."""
    from pathlib import Path

    from services.data.tables import ImportRejected, read_file
    from services.db.uow import unit_of_work
    from services.monitoring.chain import after_readings
    from services.monitoring.reading_import import import_readings, read_readings
    path = Path(args.file)
    if not _ready(path, settings):
        return 2
    try:
        sheet = read_readings(read_file(path.read_bytes(), path.name, limits=settings.imports), settings)
        with unit_of_work(settings, write=True, actor=args.actor) as uow:
            result = import_readings(uow, sheet, args.drill)
            chain = after_readings(uow, result)  # the rule and its proposals, in the same transaction
    except ImportRejected as exc:
        print(_say("readings.import.rejected", total=exc.total), file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    print(_say("readings.import.done", rows=result.received, stored=result.stored, duplicates=result.duplicates,
               stations=len(result.stations)))
    if chain.proposals:
        print(_say("readings.import.proposals", evaluated=chain.evaluated,
                   made=chain.proposals.get("created", 0), raised=chain.proposals.get("raised", 0)))
    return 0


def _import_thresholds(args, settings) -> int:
    from pathlib import Path

    from services.data.imports import ImportRejected
    from services.db.uow import unit_of_work
    from services.errors import FieldError
    from services.monitoring.threshold_import import import_thresholds
    from services.text import t
    path = Path(args.file)
    if not _ready(path, settings):
        return 2
    try:
        with unit_of_work(settings, write=True, actor=args.actor) as uow:
            result = import_thresholds(uow, path.read_bytes(), path.name, settings.imports)
    except ImportRejected as exc:
        print(_say("readings.import.rejected", total=exc.total), file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    except FieldError as exc:
        print(f"{exc.reason} / {exc.reason_en}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(_say("cli.cannot_read", path=str(path), reason=str(exc.strerror or exc)), file=sys.stderr)
        return 2
    print(t("cli.thresholds_imported", rows=result.rows,
            metrics=", ".join(f"{m} {n}" for m, n in sorted(result.by_metric.items()))))
    return 0


def deliver_batch(drill, batch) -> dict:
    """One replayed batch in its own unit of work on the drill's database, as the replay (the job's edge)."""
    from services.db.uow import unit_of_work
    from services.monitoring.drills import REPLAY, deliver
    with unit_of_work(drill, write=True, principal=REPLAY) as uow:
        return deliver(uow, batch)


def _drill(args, settings) -> int:
    """A drill: the copy made, the replay started in a thread, the copy served until Ctrl-C (services/monitoring/
    drills.py). The live system is left as it is and may go on serving at the same time."""
    import dataclasses
    import datetime as dt
    import threading
    from pathlib import Path

    from services.data.tables import ImportRejected
    from services.monitoring.drills import load_readings, prepare_drill
    from services.monitoring.replay import run, schedule
    path = Path(args.readings)
    if not _ready(path, settings):
        return 2
    try:
        drill = prepare_drill(settings, args.name)
        batches = schedule(load_readings(path, drill), dt.datetime.now(dt.timezone.utc), args.speed)
    except ImportRejected as exc:
        print(_say("readings.import.rejected", total=exc.total), file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    port = args.port or settings.port + 1
    print(_say("drill.started", name=drill.drill, batches=len(batches), speed=f"{args.speed:g}",
               minutes=f"{(batches[-1].due_s / 60 if batches else 0):.1f}", database=drill.database_url), flush=True)

    def replay() -> None:
        state = run(batches, lambda batch: deliver_batch(drill, batch))
        print(_say("drill.replayed", batches=state.delivered_batches, readings=state.delivered_readings,
                   errors=len(state.errors)), flush=True)
        for error in state.errors[:20]:
            print(f"  {error}", file=sys.stderr)

    if args.no_serve:
        replay()
        return 0
    threading.Thread(target=replay, name="drill-replay", daemon=True).start()
    from waitress import serve

    from app import _first_admin, waitress_options
    _first_admin(drill)  # the copy has the live accounts; a system without any gets its first admin, as serve does
    from dashboard.app import create_app
    links = dataclasses.replace(drill.notifications, public_url=f"http://{drill.host}:{port}")
    served = dataclasses.replace(drill, port=port, notifications=links)
    print(_say("drill.serving", url=f"http://{served.host}:{port}"), flush=True)
    serve(create_app(served).server, **waitress_options(served))
    return 0


HANDLERS = {"import-readings": _import_readings, "import-thresholds": _import_thresholds, "drill": _drill}
