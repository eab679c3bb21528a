"""The sample's thresholds (示例数据, data/sample/monitoring/thresholds.csv, made by data/generate_storm.py): loaded
once with the sample, through the ordinary threshold import, while no threshold exists. The sample storm itself
(storm.csv) is not loaded: it is replayed in a drill (python app.py drill)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import exists, select

from services.db.uow import UnitOfWork
from services.models import HazardPoint, Threshold

FOLDER = "monitoring"


def thresholds_file(uow: UnitOfWork) -> Path | None:
    sample_dir = uow.settings.sample_dir
    path = Path(sample_dir) / FOLDER / "thresholds.csv" if sample_dir is not None else None
    return path if path is not None and path.is_file() else None


def needs_monitoring_sample(uow: UnitOfWork) -> bool:
    """True when the sample's hazard points are there and no threshold is."""
    if thresholds_file(uow) is None:
        return False
    if not uow.session.scalar(select(exists().where(HazardPoint.is_sample.is_(True)))):
        return False
    return not uow.session.scalar(select(exists().select_from(Threshold)))


def load_monitoring_sample(uow: UnitOfWork) -> dict[str, int]:
    """Set the sample thresholds (the stations' assignments were made by the sample's import)."""
    from services.monitoring.threshold_import import import_thresholds
    path = thresholds_file(uow)
    result = import_thresholds(uow, path.read_bytes(), path.name, uow.settings.imports)
    return dict(sorted(result.by_metric.items()))
