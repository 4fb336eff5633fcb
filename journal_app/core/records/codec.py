"""Strict conversion between record dataclasses and JSON-compatible values.

Records are stored as compact UTF-8 JSON inside the ciphertext. Decoding is strict: a payload
whose types do not match the dataclass (a hostile import file, a damaged record) raises
:class:`CodecError`, which callers turn into "damaged" or "invalid file" errors. Datetimes are
ISO 8601 strings that must carry an offset; bytes (attachment images) are base64 text.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, Union, get_args, get_origin, get_type_hints

import orjson

from journal_app.core.dates import EARLIEST_YEAR, LATEST_YEAR, in_range


class CodecError(ValueError):
    """A value does not fit its declared type. The message names the field, never the value."""


def to_jsonable(obj: Any) -> Any:
    """Turn a dataclass (or a value inside one) into plain JSON values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return base64.b64encode(obj).decode("ascii")
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return obj


def frozen_map(items: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of ``items`` (records hold these instead of dicts)."""
    return MappingProxyType(dict(items))


def empty_map() -> Mapping[str, Any]:
    """A new empty read-only mapping (the default of a record's mapping field)."""
    return MappingProxyType({})


def freeze(value: Any) -> Any:
    """A JSON value with its lists as tuples and its objects as read-only mappings, all the way
    down (a revision's stored payload). :func:`to_jsonable` turns it back."""
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): freeze(v) for k, v in value.items()})
    return value


Converter = Callable[[Any], Any]
_CONVERTERS: dict[tuple[Any, bool], Converter] = {}


class _Located(CodecError):
    """A CodecError raised below a field; the field names are added on the way up."""


def _at(where: str, exc: CodecError) -> CodecError:
    inner = str(exc)
    return _Located(f"{where}.{inner}" if isinstance(exc, _Located) else f"{where}: {inner}")


def converter(tp: Any, trusted: bool = False) -> Converter:
    """A function that builds a value of type ``tp`` from JSON values, checking every type.

    Converters are built once per type and cached: decoding ten thousand records must not
    re-inspect type hints for every field of every record.

    ``trusted`` converters still check every type but build dataclasses without running their
    ``__post_init__`` validation. They are for records read back from the vault: those were
    validated when they were written and are authenticated by AES-GCM, so re-validating ten
    thousand of them at every unlock would only cost time. Imports and ``verify`` use the full
    checks.
    """
    conv = _CONVERTERS.get((tp, trusted))
    if conv is None:
        conv = _CONVERTERS[(tp, trusted)] = _build(tp, trusted)
    return conv


def _build(tp: Any, trusted: bool) -> Converter:
    origin = get_origin(tp)
    if tp is Any:
        return lambda value: value
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        optional = len(args) < len(get_args(tp))
        options = [converter(a, trusted) for a in args]

        def union(value: Any) -> Any:
            if value is None:
                if optional:
                    return None
                raise CodecError("missing")
            first: CodecError | None = None
            for option in options:
                try:
                    return option(value)
                except CodecError as exc:
                    first = first or exc
            raise first or CodecError("wrong type")

        return union
    if origin is typing.Literal:
        allowed = get_args(tp)

        def literal(value: Any) -> Any:
            if value in allowed:
                return value
            raise CodecError("not an allowed value")

        return literal
    if origin in (list, tuple):
        # Records hold tuples (``tuple[X, ...]``); both are JSON arrays.
        item_tp = get_args(tp)[0]
        if origin is tuple and get_args(tp)[1:] != (Ellipsis,):
            raise CodecError("unsupported type")
        make: Callable[[list[Any]], Any] = tuple if origin is tuple else list
        if item_tp in (str, int, bool):
            return _primitive_list(item_tp, make)
        item = converter(item_tp, trusted)

        def as_list(value: Any) -> Any:
            if type(value) is not list:
                raise CodecError("expected a list")
            try:
                return make([item(v) for v in value])
            except CodecError as exc:
                raise _at("[]", exc) from None

        return as_list
    if origin in (dict, Mapping):
        # Records hold read-only mappings (``Mapping[str, X]``); both are JSON objects.
        _, value_tp = get_args(tp)
        item = converter(value_tp, trusted)
        if origin is Mapping and value_tp is Any:
            item = freeze

        def as_dict(value: Any) -> Any:
            if type(value) is not dict:
                raise CodecError("expected an object")
            try:
                found = {str(k): item(v) for k, v in value.items()}
            except CodecError as exc:
                raise _at("{}", exc) from None
            return found if origin is dict else MappingProxyType(found)

        return as_dict
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass_converter(tp, trusted)
    if tp is datetime:
        return _datetime if trusted else _datetime_in_range
    if tp is bool:
        return _bool
    if tp is int:
        return _int
    if tp is float:
        return _float
    if tp is str:
        return _str
    if tp is bytes:
        return _bytes
    raise CodecError("unsupported type")


def _primitive_list(item_tp: type, make: Callable[[list[Any]], Any]) -> Converter:
    # Lists of text or numbers (tags, ids) are checked in one pass, without a call per item.
    message = {str: "expected text", int: "expected a whole number",
               bool: "expected true or false"}[item_tp]

    def as_list(value: Any) -> Any:
        if type(value) is not list:
            raise CodecError("expected a list")
        for v in value:
            if type(v) is not item_tp:
                raise _Located(f"[]: {message}")
        return make(value)

    return as_list


def _datetime(value: Any) -> datetime:
    if type(value) is not str or len(value) > 64:
        raise CodecError("expected a date and time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CodecError("not an ISO date and time") from None
    if parsed.tzinfo is None:
        raise CodecError("date and time without an offset")
    return parsed


def _datetime_in_range(value: Any) -> datetime:
    """A date from outside the vault (an import, a package): also within the years a record
    may carry (see :mod:`.dates`), whatever record or field it is in."""
    parsed = _datetime(value)
    if not in_range(parsed):
        raise CodecError(f"a date outside the years {EARLIEST_YEAR} to {LATEST_YEAR}")
    return parsed


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise CodecError("expected true or false")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:  # bool is a subclass of int and is refused here
        raise CodecError("expected a whole number")
    return value


def _float(value: Any) -> float:
    if type(value) not in (int, float):
        raise CodecError("expected a number")
    return float(value)


def _str(value: Any) -> str:
    if type(value) is not str:
        raise CodecError("expected text")
    return value


def _bytes(value: Any) -> bytes:
    if type(value) is not str:
        raise CodecError("expected base64 data")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise CodecError("not valid base64 data") from None


def _same(value: Any) -> Any:
    return value


def _dataclass_converter(cls: type[Any], trusted: bool) -> Converter:
    hints = get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    defaults: dict[str, Callable[[], Any]] = {}
    for f in fields:
        if f.default_factory is not dataclasses.MISSING:
            defaults[f.name] = f.default_factory
        elif f.default is not dataclasses.MISSING:
            defaults[f.name] = functools.partial(_same, f.default)
    names = frozenset(f.name for f in fields)
    required = frozenset(
        f.name for f in fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )
    # Field converters are looked up lazily: a dataclass may refer to itself.
    field_convs: dict[str, Converter] = {}

    def build(value: Any) -> Any:
        if type(value) is not dict:
            raise CodecError("expected an object")
        if not names.issuperset(value):
            raise CodecError("unknown field")
        missing = required.difference(value)
        if missing:
            raise CodecError(f"{sorted(missing)[0]}: missing")
        kwargs = {}
        for name, raw in value.items():
            conv = field_convs.get(name)
            if conv is None:
                conv = field_convs[name] = converter(hints[name], trusted)
            try:
                kwargs[name] = conv(raw)
            except CodecError as exc:
                raise _at(name, exc) from None
        if trusted:
            obj = object.__new__(cls)
            for name, make_default in defaults.items():
                if name not in kwargs:
                    kwargs[name] = make_default()
            obj.__dict__.update(kwargs)  # also right for frozen dataclasses
            return obj
        try:
            return cls(**kwargs)
        except (TypeError, ValueError) as exc:
            # Validation in __post_init__ says what is wrong without quoting the value.
            raise CodecError(str(exc)) from None

    return build


def from_jsonable(tp: Any, value: Any, path: str = "", trusted: bool = False) -> Any:
    """Build a value of type ``tp`` from plain JSON values, checking every type on the way.

    Raises:
        CodecError: naming the field (under ``path``), never the value.
    """
    try:
        return converter(tp, trusted)(value)
    except CodecError as exc:
        raise CodecError(f"{path or 'value'}.{exc}" if isinstance(exc, _Located)
                         else f"{path or 'value'}: {exc}") from None


def dataclass_from_jsonable(
    cls: type[Any], value: Any, path: str = "", trusted: bool = False
) -> Any:
    """Build dataclass ``cls`` from an object.

    Unknown keys are refused; missing keys take the field's default.
    """
    return from_jsonable(cls, value, path or cls.__name__, trusted)


def dumps(value: Any) -> bytes:
    """Compact, deterministic JSON bytes for a JSON-compatible value."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


#: Payloads above this size (attachment images) are parsed by the standard library: orjson
#: needs about thirteen times a long string's size while parsing it (360 MB for a 20 MB
#: image), json about twice, and is no slower there.
BIG_PAYLOAD = 1024 * 1024


def _no_constants(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON (RFC 8259), as orjson says too


def loads(data: bytes) -> Any:
    """Parse a record payload. orjson, not json: an unlock parses every record, and orjson
    does it in about a third of the time (strict UTF-8 and RFC 8259, like json here)."""
    try:
        if len(data) > BIG_PAYLOAD:
            return json.loads(data.decode("utf-8"), parse_constant=_no_constants)
        return orjson.loads(data)
    except (ValueError, RecursionError) as exc:  # orjson's and json's errors, bad UTF-8
        raise CodecError("not valid JSON") from exc
