"""Request bodies of the field API: a patrol of a hazard point (巡查). Photos come as multipart, not JSON."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from dashboard.api.models import Request, Text
from services import vocabulary
from services.field.patrols import MAX_CRACK_MM, MAX_NOTE_CHARS


class PatrolCreate(Request):
    state: Literal[vocabulary.PATROL_STATES]  # type: ignore[valid-type]
    crack_width_mm: float | None = Field(default=None, ge=0, le=MAX_CRACK_MM, allow_inf_nan=False)
    note: Text(MAX_NOTE_CHARS) | None = None
    # A warning level above the point's present one (only a patrol that found more than 正常 may raise it).
    raise_to: Literal[vocabulary.WARNING_COLOUR_LEVELS] | None = None  # type: ignore[valid-type]
