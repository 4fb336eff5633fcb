"""Strict conversion between record dataclasses and JSON-compatible values.

Records are stored as compact UTF-8 JSON inside the ciphertext. Decoding is strict: a payload
whose types do not match the dataclass (a hostile import file, a damaged record) raises
:class:`CodecError`, which callers turn into "damaged" or "invalid file" errors. Datetimes are
ISO 8601 strings that must carry an offset.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import datetime
from typing import Any, Union, get_args, get_origin, get_type_hints


class CodecError(ValueError):
    """A value does not fit its declared type. The message names the field, never the value."""


def to_jsonable(obj: Any) -> Any:
    """Turn a dataclass (or a value inside one) into plain JSON values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return obj


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = get_type_hints(cls)
    return hints


def from_jsonable(tp: Any, value: Any, path: str = "") -> Any:
    """Build a value of type ``tp`` from plain JSON values, checking every type on the way."""
    origin = get_origin(tp)
    if tp is Any:
        return value
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        if value is None:
            if type(None) in args:
                return None
            raise CodecError(f"{path or 'value'}: missing")
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return from_jsonable(arg, value, path)
            except CodecError as exc:
                errors.append(exc)
        raise errors[0] if errors else CodecError(f"{path}: wrong type")
    if origin is typing.Literal:
        if value in get_args(tp):
            return value
        raise CodecError(f"{path}: not an allowed value")
    if origin is list:
        if not isinstance(value, list):
            raise CodecError(f"{path}: expected a list")
        (item,) = get_args(tp)
        return [from_jsonable(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise CodecError(f"{path}: expected an object")
        _, vt = get_args(tp)
        return {str(k): from_jsonable(vt, v, f"{path}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return dataclass_from_jsonable(tp, value, path)
    if tp is datetime:
        if not isinstance(value, str) or len(value) > 64:
            raise CodecError(f"{path}: expected a date and time")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as exc:
            raise CodecError(f"{path}: not an ISO date and time") from exc
        if parsed.tzinfo is None:
            raise CodecError(f"{path}: date and time without an offset")
        return parsed
    if tp is bool:
        if not isinstance(value, bool):
            raise CodecError(f"{path}: expected true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise CodecError(f"{path}: expected a whole number")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CodecError(f"{path}: expected a number")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise CodecError(f"{path}: expected text")
        return value
    raise CodecError(f"{path}: unsupported type")


def dataclass_from_jsonable(cls: type[Any], value: Any, path: str = "") -> Any:
    """Build dataclass ``cls`` from an object.

    Unknown keys are refused; missing keys take the field's default.
    """
    if not isinstance(value, dict):
        raise CodecError(f"{path or cls.__name__}: expected an object")
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    unknown = set(value) - names
    if unknown:
        raise CodecError(f"{path or cls.__name__}: unknown field")
    kwargs = {}
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        if f.name in value:
            kwargs[f.name] = from_jsonable(hints[f.name], value[f.name], f"{path}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise CodecError(f"{path or cls.__name__}.{f.name}: missing")
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        # Validation in __post_init__ says what is wrong without quoting the value.
        raise CodecError(f"{path or cls.__name__}: {exc}") from None


def dumps(value: Any) -> bytes:
    """Compact, deterministic JSON bytes for a JSON-compatible value."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def loads(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise CodecError("not valid JSON") from exc
