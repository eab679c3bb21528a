"""The command line of 风险感知 (issue 15), called by app.py: station readings and thresholds from files, and drills.

    python app.py import-readings FILE [--drill N]
    python app.py import-thresholds FILE   (columns 隐患点编号 or 站点编码, 指标, 阈值)
"""
from __future__ import annotations

import sys

from app import NO_SCHEMA, NO_SCHEMA_CODE, _database_problem, _say


def add_parsers(sub) -> None:
    readings = sub.add_parser("import-readings", help="import station readings from a CSV or .xlsx file")
    readings.add_argument("file")
    readings.add_argument("--drill", type=int, default=0, help="drill (演练) number; 0: live data")
    readings.add_argument("--actor", default="cli")
    thr = sub.add_parser("import-thresholds", help="set thresholds from a CSV or .xlsx file (columns 隐患点编号 or "
                                                   "站点编码, 指标, 阈值), all or nothing")
    thr.add_argument("file")
    thr.add_argument("--actor", default="cli")


def _import_readings(args, settings) -> int:
    """Station readings from a CSV or Excel file, all or nothing (services/monitoring/reading_import.py)."""
    from pathlib import Path

    from services.data.tables import ImportRejected, read_file
    from services.db.uow import unit_of_work
    from services.monitoring.reading_import import import_readings, read_readings
    path = Path(args.file)
    if not path.is_file():
        print(f"找不到文件“{path}” / no such file: {path}", file=sys.stderr)
        return 2
    problem = _database_problem(settings)
    if problem:
        print(NO_SCHEMA if problem == NO_SCHEMA_CODE else problem, file=sys.stderr)
        return 2
    try:
        sheet = read_readings(read_file(path.read_bytes(), path.name, limits=settings.imports), settings)
        with unit_of_work(settings, write=True, actor=args.actor) as uow:
            result = import_readings(uow, sheet, args.drill)
    except ImportRejected as exc:
        print(_say("readings.import.rejected", total=exc.total), file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    print(_say("readings.import.done", rows=result.received, stored=result.stored, duplicates=result.duplicates,
               stations=len(result.stations)))
    return 0


def _import_thresholds(args, settings) -> int:
    from pathlib import Path

    from services.data.imports import ImportRejected
    from services.db.uow import unit_of_work
    from services.errors import FieldError
    from services.monitoring.threshold_import import import_thresholds
    from services.text import t
    path = Path(args.file)
    if not path.is_file():
        print(f"找不到文件“{path}” / no such file: {path}", file=sys.stderr)
        return 2
    problem = _database_problem(settings)
    if problem:
        print(NO_SCHEMA if problem == NO_SCHEMA_CODE else problem, file=sys.stderr)
        return 2
    try:
        with unit_of_work(settings, write=True, actor=args.actor) as uow:
            result = import_thresholds(uow, path.read_bytes(), path.name, settings.imports)
    except ImportRejected as exc:
        print(f"文件未导入（{exc.total} 处错误，未写入任何数据）/ not imported:", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    except FieldError as exc:
        print(f"{exc.reason} / {exc.reason_en}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"无法读取文件“{path}” / cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(t("cli.thresholds_imported", rows=result.rows,
            metrics=", ".join(f"{m} {n}" for m, n in sorted(result.by_metric.items()))))
    return 0


HANDLERS = {"import-readings": _import_readings, "import-thresholds": _import_thresholds}
