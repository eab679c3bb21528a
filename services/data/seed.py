"""Setting up a database: schema, real geography, the supply catalogue and the synthetic sample."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, select

from config import ROOT, Settings
from services.data.geography import load_geography, set_township_populations
from services.data.imports import import_path, load_catalogue
from services.data.specs import LOAD_ORDER
from services.db import read_session, schema
from services.models import Enterprise, SupplyItem, Township

CATALOGUE_CSV = ROOT / "data" / "supply_catalogue.csv"


def _count(settings: Settings, model) -> int:
    with read_session(settings.database_url) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def load_sample(settings: Settings, sample_dir: Path | None = None) -> dict[str, int]:
    """Import every sample file through the ordinary importer, flagged as sample (示例数据)."""
    sample_dir = Path(sample_dir or settings.sample_dir)
    counts = {}
    for entity in LOAD_ORDER:
        result = import_path(settings, entity, sample_dir / f"{entity}.csv", actor="seed", is_sample=True)
        counts[entity] = result.rows
    population_file = sample_dir / "township_population.csv"
    if population_file.exists():
        with population_file.open(encoding="utf-8-sig", newline="") as fh:
            populations = {r["code"]: int(r["population"]) for r in csv.DictReader(fh)}
        set_township_populations(settings, populations, is_sample=True, actor="seed")
    return counts


def setup_database(settings: Settings, *, with_sample: bool = True) -> dict[str, object]:
    """Create or upgrade the schema; load geography and catalogue if missing; the sample if empty."""
    schema.upgrade(settings.database_url)
    report: dict[str, object] = {}
    if _count(settings, Township) == 0:
        report["geography"] = load_geography(settings, actor="seed")
    if _count(settings, SupplyItem) == 0:
        report["catalogue"] = load_catalogue(settings, CATALOGUE_CSV, actor="seed")
    if with_sample and _count(settings, Enterprise) == 0:
        report["sample"] = load_sample(settings)
    return report
