"""Entry point: build the app from settings and run the command line (serve, init-db, seed, import).

    python app.py serve            set up the database if needed, then serve on $HOST:$PORT
    python app.py init-db          create or upgrade the schema, load geography and catalogue
    python app.py seed             init-db, then load the synthetic sample if the database is empty
    python app.py import ENTITY FILE [--crs WGS84|GCJ02|BD09]
    python app.py template ENTITY OUT.xlsx
    python app.py import-readings FILE [--drill N]
    python app.py import-roads FILE.osm.pbf|FILE.geojson [--no-places]
    python app.py import-places FILE.osm.pbf|FILE.osm|FILE.geojson
    python app.py solve-vrp FILE.vrp [--seconds N]
    python app.py import-thresholds FILE   (columns 隐患点编号 or 站点编码, 指标, 阈值)
    python app.py users add NAME --role ROLE [--township CODE] [--phone P] [--display-name TEXT] [--password-stdin]
    python app.py users list | disable NAME | enable NAME | token NAME [--label TEXT] | phone NAME [P]
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
import time

from config import load_settings


def setup_json(report) -> dict:
    """What ``setup_database`` loaded, as the command line has always printed it (steps that ran only)."""
    from dataclasses import asdict
    out: dict[str, object] = {}
    if report.geography is not None:
        out["geography"] = asdict(report.geography)
    if report.catalogue_items is not None:
        out["catalogue"] = report.catalogue_items
    if report.sample_rows is not None:
        out["sample"] = report.sample_rows
    if report.supervision_rows is not None:
        out["supervision"] = report.supervision_rows
    if report.monitoring_rows is not None:
        out["thresholds"] = report.monitoring_rows
    return out


def _serve(args, settings) -> int:
    from services.data.seed import setup_database
    report = setup_database(settings, with_sample=not args.no_sample)
    if report:
        print(json.dumps(setup_json(report), ensure_ascii=False))
    _first_admin(settings)
    from dashboard.app import create_app
    app = create_app(settings)
    # The app's long-lived objects never die; keep the collector from rescanning them on every request
    # (measured: p95 of a 1500-feature layer 86 ms → 32 ms, docs/BENCHMARKS.md).
    gc.freeze()
    print(f"serving on http://{settings.host}:{settings.port}", flush=True)
    if args.dev:
        app.run(host=settings.host, port=settings.port, debug=True, dev_tools_disable_version_check=True)
    else:
        from waitress import serve
        serve(app.server, **waitress_options(settings))
    return 0


def _first_admin(settings) -> None:
    """A new deployment's first account (services/accounts/bootstrap.py); its generated password printed once."""
    from services.accounts.bootstrap import ADMIN, ensure_first_admin
    from services.db.uow import unit_of_work
    from services.text import t
    with unit_of_work(settings, write=True, actor="system") as uow:
        first = ensure_first_admin(uow)
    if first.created and first.password:
        for lang in ("zh", "en"):
            print(t("cli.first_admin", lang, user=ADMIN, password=first.password, file=first.password_file),
                  flush=True)


def waitress_options(settings) -> dict:
    """How `make run` serves: enough threads and connections for a command center's tens of browsers.

    Waitress's defaults (4 threads, 100 connections) stall requests 15–31 s beyond about 100 open connections
    (each live view keeps one); tests/dashboard/test_api_core.py holds 150 open. Several processes: dashboard/wsgi.py.
    """
    return {"host": settings.host, "port": settings.port, "threads": settings.server_threads,
            "connection_limit": settings.server_connection_limit, "channel_timeout": 120, "backlog": 2048,
            "ident": "qianjiang"}


def _init_db(args, settings) -> int:
    from services.data.seed import setup_database
    report = setup_database(settings, with_sample=args.command == "seed")
    print(json.dumps(setup_json(report), ensure_ascii=False))
    return 0


NO_SCHEMA_CODE = "no-schema"
NO_SCHEMA = "数据库尚未建立，请先运行 python app.py init-db / the database has no schema yet: run python app.py init-db"


def _database_problem(settings) -> str | None:
    """None when the database is set up for the region; NO_SCHEMA_CODE when it is not (or does not exist: a
    SQLite file is not created by asking), else why it cannot be reached."""
    from pathlib import Path

    from sqlalchemy import inspect, select
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from services.db import get_engine
    from services.models import AdminArea
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and not Path(url.database).is_file():  # connecting would create an empty file
        return NO_SCHEMA_CODE
    try:
        with get_engine(settings.database_url).connect() as conn:
            ready = inspect(conn).has_table(AdminArea.__tablename__) and conn.execute(
                select(AdminArea.adcode).where(AdminArea.adcode == settings.region.adcode)).first() is not None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return f"无法连接数据库 / cannot connect to the database: {reason}"
    return None if ready else NO_SCHEMA_CODE


def _import(args, settings) -> int:
    from pathlib import Path

    from services.data.imports import ImportRejected, import_table, read_file
    from services.db.uow import unit_of_work
    path = Path(args.file)
    if not path.is_file():
        print(f"找不到文件“{path}” / no such file: {path}", file=sys.stderr)
        return 2
    problem = _database_problem(settings)
    if problem:
        print(NO_SCHEMA if problem == NO_SCHEMA_CODE else problem, file=sys.stderr)
        return 2
    try:
        table = read_file(path.read_bytes(), path.name, crs=args.crs, limits=settings.imports)
        with unit_of_work(settings, write=True, actor=args.actor) as uow:
            result = import_table(uow, args.entity, table)
    except ImportRejected as exc:
        print(f"文件未导入（{exc.total} 处错误，未写入任何数据）/ not imported:", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"无法读取文件“{path}” / cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"导入 {result.rows} 行：新增 {result.created}，更新 {result.updated}（{result.crs}）")
    return 0


def _template(args, settings) -> int:
    from services.data.specs import IMPORTABLE
    from services.data.templates import template_xlsx
    with open(args.out, "wb") as fh:
        fh.write(template_xlsx(IMPORTABLE[args.entity]).getvalue())
    return 0


def _import_roads(args, settings) -> int:
    """Replace the road network from a file; refused when township seats lie 500 m from any road (the
    network does not cover the region), unless --allow-partial imports it with that warning."""
    from geo.place_nodes import is_osm_file
    from geo.road_import import RoadImportError, read_roads, seats_without_road, write_network
    from geo.road_tags import TagReport
    from geo.roads import MAX_ACCESS_M, from_features
    from services.data.geography import read_gazetteer
    say = _say
    report = TagReport()
    try:
        features = read_roads(args.file, class_field=args.class_field, default_class=args.default_class,
                              layer=args.layer, report=report, service_roads=args.service_roads)
    except RoadImportError as exc:
        print(say("road.import.failed", reason=str(exc)), file=sys.stderr)
        return 2
    seats = read_gazetteer(settings.region.townships_csv)
    gaps = seats_without_road(features, [(r.seat_lon, r.seat_lat) for r in seats], MAX_ACCESS_M)
    if gaps:
        names = "、".join(seats[i].name for i in gaps[:10]) + ("…" if len(gaps) > 10 else "")
        print(say("road.import.gaps", count=len(gaps), limit=f"{MAX_ACCESS_M:g}", names=names), file=sys.stderr)
        if not args.allow_partial:
            print(say("road.import.refused"), file=sys.stderr)
            return 3
    places = _read_places(args.file) if is_osm_file(args.file) and not args.no_places else None
    graph = from_features(features)
    out = settings.instance_dir / "roads" / "network.geojson"
    write_network(features, out, source=str(args.file))
    print(say("road.import.done", features=len(features), nodes=graph.node_count, edges=graph.edge_count, out=out))
    print(say("road.import.tags", not_drivable=report.not_drivable, not_walkable=report.not_walkable,
              maxspeed_used=report.maxspeed_used, maxspeed_ignored=sum(report.maxspeed_ignored.values()),
              oneway_unknown=sum(report.oneway_unknown.values()), cut=report.cut_at_edge))
    for c in graph.components:
        print(say("road.import.fragments", mode=c.mode, fragments=c.fragments,
                  vertices=c.dropped_vertices, km=f"{c.dropped_km:.1f}"))
    print(say("road.import.restart"))
    if places is not None:  # the extract's place nodes locate the villages (a database not set up is only noted)
        _locate_villages(settings, args.file, places, actor=args.actor, needs_database=False)
    return 0


def _say(key: str, **params) -> str:
    from services.text import t
    return f"{t(key, 'zh', **params)} / {t(key, 'en', **params)}"


def _read_places(path):
    """The place nodes of a file, or None (the reason printed) when it cannot be read."""
    from geo.place_nodes import PlaceFileError, read_places
    try:
        return read_places(path)
    except PlaceFileError as exc:
        print(_say("places.import.failed", reason=str(exc)), file=sys.stderr)
        return None


def _locate_villages(settings, path, nodes, *, actor: str, needs_database: bool = True) -> int:
    """Write the villages' locations from ``nodes`` in one unit of work and print what was done."""
    from services.data.village_locations import import_village_locations
    from services.db.uow import unit_of_work
    problem = _database_problem(settings)
    if problem:
        print(_say("places.import.no_database", file=path) if problem == NO_SCHEMA_CODE else problem, file=sys.stderr)
        return 2 if needs_database else 0
    from pathlib import Path
    with unit_of_work(settings, write=True, actor=actor) as uow:
        report = import_village_locations(uow, nodes, source=Path(path).name)
    print(_say("places.import.done", nodes=report.nodes, matched=report.matched, unmatched=report.unmatched,
              ambiguous=report.ambiguous, outside=report.outside, superseded=report.superseded))
    if report.ambiguous_names:
        names = "、".join(report.ambiguous_names[:10]) + ("…" if len(report.ambiguous_names) > 10 else "")
        print(_say("places.import.ambiguous", names=names))
    return 0


def _import_places(args, settings) -> int:
    """Locate the villages from the place nodes of an OSM extract (or a GeoJSON file of points), nothing else."""
    nodes = _read_places(args.file)
    if nodes is None:
        return 2
    return _locate_villages(settings, args.file, nodes, actor=args.actor)


def _solve_vrp(args, settings) -> int:
    from geo.vrp import solve_vrplib
    try:
        result = solve_vrplib(args.file, seconds=args.seconds, seed=args.seed)
    except (OSError, ValueError) as exc:
        print(f"cannot solve {args.file}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _users(args, settings) -> int:
    """Accounts from the command line (the admin's users page does the same in the browser)."""
    import getpass

    from services.accounts import tokens, users
    from services.accounts.passwords import generate
    from services.db.uow import unit_of_work
    from services.errors import FieldError
    from services.text import t
    lang = settings.default_language
    try:
        with unit_of_work(settings, write=args.action != "list", actor=f"cli:{getpass.getuser()}") as uow:
            if args.action == "list":
                for u in users.list_users(uow):
                    flags = ",".join(f for f, on in (("disabled", u.disabled), ("locked", u.locked),
                                                      ("must-change", u.must_change_password)) if on)
                    print(f"{u.username}\t{u.role}\t{u.township_code or '-'}\t{u.phone or '-'}\t{u.display_name}"
                          f"\t{flags}")
            elif args.action == "add":
                password = sys.stdin.readline().rstrip("\n") if args.password_stdin else generate()
                users.create_user(uow, args.name, role=args.role, password=password, township_code=args.township,
                                  phone=args.phone, display_name=args.display_name, enterprise=args.enterprise)
                if not args.password_stdin:
                    print(t("cli.user_password", lang, user=args.name, password=password))
            elif args.action in ("disable", "enable"):
                users.set_disabled(uow, args.name, args.action == "disable")
            elif args.action == "phone":
                phone = users.set_phone(uow, args.name, args.phone).phone
                print(t("cli.phone_set", lang, user=args.name, phone=phone) if phone else
                      t("cli.phone_cleared", lang, user=args.name))
            elif args.action == "token":
                token, _ = tokens.issue_token(uow, args.name, args.label or "")
                print(t("cli.token_once", lang, user=args.name))
                print(token)
    except FieldError as exc:
        print(exc.reason_en if lang == "en" else exc.reason, file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    from dashboard import cli_monitoring as monitoring_commands
    from services.data.specs import IMPORTABLE
    parser = argparse.ArgumentParser(prog="app.py", description="黔江应急一张图")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="set up the database if needed and serve the app")
    serve.add_argument("--dev", action="store_true", help="Dash debug server instead of waitress")
    serve.add_argument("--no-sample", action="store_true", help="do not load the synthetic sample")
    sub.add_parser("init-db", help="create/upgrade schema, load geography and catalogue")
    sub.add_parser("seed", help="init-db and load the synthetic sample into an empty database")
    imp = sub.add_parser("import", help="import a CSV or .xlsx file")
    imp.add_argument("entity", choices=list(IMPORTABLE))
    imp.add_argument("file")
    imp.add_argument("--crs", default="WGS84", help="coordinate system of the file: WGS84, GCJ02 or BD09")
    imp.add_argument("--actor", default="cli")
    tpl = sub.add_parser("template", help="write the import template of an entity")
    tpl.add_argument("entity", choices=list(IMPORTABLE))
    tpl.add_argument("out")
    roads = sub.add_parser("import-roads", help="replace the road network from an OSM extract or GeoJSON lines")
    roads.add_argument("file")
    roads.add_argument("--class-field", default="class", help="property holding the road class (OSM values work)")
    roads.add_argument("--default-class", default=None, help="class of roads whose file has no class field")
    roads.add_argument("--layer", default=None, help="layer of a multi-layer file (GeoPackage)")
    roads.add_argument("--service-roads", choices=("public", "all", "none"), default="public",
                       help="highway=service roads drivable: public (no driveways, parking aisles), all, or none")
    roads.add_argument("--allow-partial", action="store_true",
                       help="import even when township seats have no road within 500 m (with a warning)")
    roads.add_argument("--no-places", action="store_true",
                       help="do not locate the villages from the extract's place nodes")
    roads.add_argument("--actor", default="cli")
    places = sub.add_parser("import-places", help="locate the villages from an OSM extract's place nodes "
                                                  "(place=village, hamlet, ...; or a GeoJSON file of points)")
    places.add_argument("file")
    places.add_argument("--actor", default="cli")
    monitoring_commands.add_parsers(sub)  # import-readings, import-thresholds, drill (dashboard/cli_monitoring.py)
    vrp = sub.add_parser("solve-vrp", help="solve a CVRPLIB/TSPLIB .vrp file with PyVRP and print JSON")
    vrp.add_argument("file")
    vrp.add_argument("--seconds", type=float, default=10.0, help="time limit")
    vrp.add_argument("--seed", type=int, default=1)
    from services.accounts.permissions import ROLES
    users = sub.add_parser("users", help="accounts: add, list, disable, enable, phone, token")
    users_sub = users.add_subparsers(dest="action", required=True)
    add = users_sub.add_parser("add", help="a new account (a password is generated and printed once)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--township", default=None, help="9-digit township code (role township only)")
    add.add_argument("--enterprise", default=None, help="credit code of the enterprise (role enterprise only)")
    add.add_argument("--phone", default=None, help="mobile (13912345678) or landline (023-79223456)")
    add.add_argument("--display-name", default=None)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    users_sub.add_parser("list", help="every account")
    for action in ("disable", "enable"):
        users_sub.add_parser(action, help=f"{action} an account").add_argument("name")
    phone = users_sub.add_parser("phone", help="set an account's phone number (none given: clear it)")
    phone.add_argument("name")
    phone.add_argument("phone", nargs="?", default=None, help="mobile (13912345678) or landline (023-79223456)")
    token = users_sub.add_parser("token", help="a new API token for an account (printed once)")
    token.add_argument("name")
    token.add_argument("--label", default=None)
    args = parser.parse_args(argv)
    settings = load_settings()
    started = time.perf_counter()
    handlers = {"serve": _serve, "init-db": _init_db, "seed": _init_db, "import": _import, "template": _template,
                "solve-vrp": _solve_vrp, "import-roads": _import_roads, "import-places": _import_places,
                "users": _users, **monitoring_commands.HANDLERS}
    code = handlers[args.command](args, settings)
    if args.command != "serve":
        print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
