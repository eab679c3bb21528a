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


_ZH: dict[str, str] = {
    "missing": "缺少此字段", "extra_forbidden": "未知字段", "string_type": "应为文字", "int_type": "应为整数",
    "int_parsing": "应为整数", "int_from_float": "应为整数", "float_type": "应为数字", "float_parsing": "应为数字",
    "finite_number": "应为有限的数字", "bool_type": "应为 true 或 false", "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表", "dict_type": "应为 JSON 对象", "model_type": "应为 JSON 对象",
    "greater_than_equal": "不能小于 {ge}", "less_than_equal": "不能大于 {le}", "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}", "string_too_long": "最多 {max_length} 个字符", "string_too_short": "不能为空",
    "too_long": "最多 {max_length} 项", "too_short": "至少 {min_length} 项", "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一", "datetime_type": "应为时间", "datetime_parsing": "时间格式有误（应为 ISO 8601）",
    "datetime_from_date_parsing": "时间格式有误（应为 ISO 8601）", "value_error": "取值有误",
    "no_control_characters": "不能含控制字符（如 NUL）", "time_range": "时间应在 2000 年到 2100 年之间",
}


def _field(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "body"


def parse(model: type[Model], body) -> Model:
    """``body`` checked against ``model``; raises FieldError naming the first bad field."""
    if not isinstance(body, dict):
        raise FieldError("body", "请求体应为 JSON 对象", "body must be a JSON object")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        ctx = {k: v for k, v in (first.get("ctx") or {}).items()}
        zh = _ZH.get(first["type"], "取值有误").format_map(_Defaults(ctx))
        name = _field(first["loc"])
        raise FieldError(name, f"{name}：{zh}", f"{name}: {first['msg']}") from None


class _Defaults(dict):
    def __missing__(self, key):
        return "?"


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
