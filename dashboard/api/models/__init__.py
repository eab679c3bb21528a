"""Request models of the JSON API (pydantic): units in the names, bounds in the types, one way to refuse.

``parse(Model, body)`` turns a pydantic ValidationError into the API's FieldError, naming the field and saying
why in Chinese and English; the OpenAPI document can be generated from the same models.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from services.errors import FieldError
from services.text import CATALOGUE, both

Model = TypeVar("Model", bound=BaseModel)

MAX_ID = 2**31 - 1
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc)


def _no_control(text: str) -> str:
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        raise PydanticCustomError("no_control_characters", "control characters (such as NUL) are not allowed")
    return text


def Text(max_length: int, min_length: int = 0):  # noqa: N802 — a type factory, read like a type
    """A string of bounded length without NUL or other control characters."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(_no_control)]


RecordId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]


class Request(BaseModel):
    """Base of every request body: unknown fields are refused, numbers are not written as text."""

    model_config = ConfigDict(extra="forbid", strict=False, str_strip_whitespace=True)




def _field(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "body"


def parse(model: type[Model], body) -> Model:
    """``body`` checked against ``model``; raises FieldError naming the first bad field."""
    if not isinstance(body, dict):
        raise FieldError.of("body", "body.not_object")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        kind = first["type"] if "validation." + first["type"] in CATALOGUE else "other"
        try:
            reason, reason_en = both("validation." + kind, **{k: str(v) for k, v in (first.get("ctx") or {}).items()})
        except KeyError:  # a context pydantic did not give: say it plainly
            reason, reason_en = both("validation.other")
        name = _field(first["loc"])
        error = FieldError.of(name, "field.refused", field=name, reason=reason, reason_en=reason_en)
        error.code = "bad_parameter"
        raise error from None


def check_time(at: dt.datetime) -> dt.datetime:
    """A time between 2000 and 2100 (a far date is a typing mistake, and beyond what the columns hold)."""
    probe = at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)
    if not EARLIEST <= probe <= LATEST:
        raise PydanticCustomError("time_range", "the time must be between 2000 and 2100")
    return at


When = Annotated[dt.datetime, AfterValidator(check_time)]


def body(model: type[BaseModel]):
    """Declare the request model of a route, for the OpenAPI document (the handler parses with ``parse``)."""
    def mark(view):
        view.qj_body = model
        return view
    return mark


def query(model: type[BaseModel]):
    """Declare the query parameters of a route, for the OpenAPI document (the handler parses with ``parse_query``)."""
    def mark(view):
        view.qj_query = model
        return view
    return mark


def parse_query(model: type[Model], args) -> Model:
    """The query string checked against ``model``: the first value of each name; an empty value is left out."""
    return parse(model, {name: value for name, value in args.items() if value != ""})
