"""GET /api/v1/records/<entity>.xlsx: every record in its import format; an unknown entity is a 404 with a reason."""
from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from dashboard.app import create_app
from tests.conftest import signed_in
from services.data.imports import MODELS
from services.data.specs import SPECS
from services.db import read_session


@pytest.fixture(scope="module")
def client(seeded):
    return signed_in(create_app(seeded).server.test_client(), seeded)


@pytest.mark.parametrize("entity", ["shelters", "stock", "vehicles"])
def test_records_download_has_the_import_headers_and_one_row_per_record(client, seeded, entity):
    response = client.get(f"/api/v1/records/{entity}.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == SPECS[entity].headers
    with read_session(seeded.database_url) as session:
        assert len(rows) - 1 == session.scalar(select(func.count()).select_from(MODELS[entity])) > 0


def test_an_unknown_entity_is_a_404_with_a_reason(client):
    response = client.get("/api/v1/records/volcanoes.xlsx")
    assert response.status_code == 404
    body = response.get_json()
    assert body["parameter"] == "entity" and body["reason"] == "未知数据类型“volcanoes”"
    assert body["reason_en"] == "unknown entity 'volcanoes'"
