"""Request and response models of the JSON API (pydantic): units in the names, bounds in the types.

``parse(Model, body)`` turns a pydantic ValidationError into the API's FieldError, naming the field and saying
why in Chinese and English. ``@responds(Model, status=201)`` declares a route's success answer and serialises
the handler's result through the model, so the answer cannot drift from the OpenAPI document built from them.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Annotated, Any, TypeVar

from flask import Response, make_response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from services.errors import FieldError
from services.text import CATALOGUE, both

Model = TypeVar("Model", bound=BaseModel)
JSON = "application/json"
GEOJSON = "application/geo+json"  # RFC 7946
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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


class Reply(BaseModel):
    """Base of every response model: a field the model does not name is an error, not a silent extra."""

    model_config = ConfigDict(extra="forbid")


class Error(Reply):
    """Every refusal: a code, the parameter at fault (when one is), and why, in Chinese and in English."""

    error: str
    parameter: str = None
    reason: str
    reason_en: str


class CodedReason(Reply):
    """A reason as a catalogue code and its parameters (services/text/reasons.py), beside its rendered texts."""

    code: str
    params: dict = {}


# An ISO 8601 time as the services write it (aware UTC, "+00:00"); kept as text so the answer stays byte-equal.
Timestamp = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
Number = int | float  # a figure that is whole or not depending on the data (JSON keeps 5 as 5)


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


def body(model: type[BaseModel] | None, media_type: str = JSON):
    """Declare the request body of a route, for the OpenAPI document (the handler parses with ``parse``).

    ``model`` None: a text body of ``media_type`` (a CAP document), checked by the service that reads it.
    """
    def mark(view):
        view.qj_body, view.qj_body_type = model, media_type
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


def path(model: type[BaseModel]):
    """Declare the path parameters of a route (choices such as the layer names), for the OpenAPI document."""
    def mark(view):
        view.qj_path = model
        return view
    return mark


@dataclasses.dataclass(frozen=True)
class Answer:
    """What a route answers on success (model, status, media type) and the error statuses it can give."""

    model: type[BaseModel] | None
    status: int
    media_type: str
    errors: dict[int, type[BaseModel] | None]
    links: dict[str, str]  # path parameter of other routes -> the answer's field that gives it


def responds(model: type[BaseModel] | None, status: int = 200, *, media_type: str = JSON,
             errors: tuple | dict = (), links: dict[str, str] | None = None):
    """Declare a route's success answer and serialise the handler's result through ``model``.

    A handler returns its result (a dict or a dataclass): it is validated by ``model`` and sent with ``status``
    and ``media_type``, so a renamed or missing field is a server error in the tests, never a silent change of
    the API (a success Response from such a handler is refused too). A handler of a file (``model`` None) returns
    its Response; its status and media type are checked.
    An error answer (a Response or tuple with a status from 400) passes as it is. ``errors`` lists the error
    statuses the route can give (a mapping for those whose body is not the common Error). ``links``
    ({"incident_id": "id"}) says that the answer's field names the record other routes take in that path
    parameter (OpenAPI links: a fuzzer follows them from a created record to the routes that read or change it).
    """
    declared = Answer(model, status, media_type, dict(errors) if isinstance(errors, dict)
                      else dict.fromkeys(errors), dict(links or {}))

    def mark(view):
        @functools.wraps(view)
        def serialised(*args, **kwargs):
            return _serialise(declared, view(*args, **kwargs))
        serialised.qj_answer = declared
        return serialised
    return mark


def _media_matches(actual: str, declared: str) -> bool:
    """``image/*`` (an OpenAPI media-type range) admits every image type; otherwise the types must be equal."""
    if declared.endswith("/*"):
        return actual.startswith(declared[:-1])
    return actual == declared


def _serialise(declared: Answer, result: Any) -> Response:
    if isinstance(result, (Response, tuple)):
        response = make_response(result)
        if response.status_code < 400 and declared.model is not None:
            raise TypeError("a route with a response model returns its result, not a Response (the model writes it)")
        if response.status_code < 400 and (response.status_code != declared.status
                                           or not _media_matches(response.mimetype, declared.media_type)):
            raise TypeError(f"the route declares {declared.status} {declared.media_type}, "
                            f"answered {response.status_code} {response.mimetype}")
        return response
    if declared.model is None:
        raise TypeError("a route without a response model must return a Response")
    if callable(getattr(result, "to_json", None)):  # a service's typed result writes its own JSON form
        result = result.to_json()
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        result = dataclasses.asdict(result)
    reply = declared.model.model_validate(result)
    body = reply.model_dump_json(by_alias=True, exclude_unset=True)
    return Response(body, status=declared.status, mimetype=declared.media_type)
