"""Reading policies/*.toml: typed, validated access to a file's tables.

Every error names the file and the key at fault (PolicyError), so a bad policy stops
the application with a message an administrator can act on. Each feature's own
``policy.py`` uses these readers to build its frozen policy object.
"""

from __future__ import annotations

import builtins
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ig.errors import ConfigurationError


class PolicyError(ConfigurationError):
    """A policy file is missing, malformed or holds a value out of range."""

    def __init__(self, file: str, key: str, message: str) -> None:
        super().__init__(f"{file}: {key}: {message}")
        self.file = file
        self.key = key


class Section:
    """Typed access to one table of a policy file; every error names file and key.

    The readers are named after the types they return (``str``, ``int``...), which
    shadows those names inside the class body; annotations therefore say ``builtins.``.
    """

    def __init__(
        self, file: builtins.str, data: Mapping[builtins.str, Any], prefix: builtins.str = ""
    ) -> None:
        self.file = file
        self.data = data
        self.prefix = prefix

    def _key(self, key: builtins.str) -> builtins.str:
        return f"{self.prefix}{key}"

    def _fail(self, key: builtins.str, message: builtins.str) -> PolicyError:
        return PolicyError(self.file, self._key(key), message)

    def _get(self, key: builtins.str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.data:
            if default is ...:
                raise self._fail(key, "is required")
            return default
        value = self.data[key]
        # TOML booleans are Python ints; "true" must not pass for the number 1.
        if isinstance(value, builtins.bool) and kind is not builtins.bool:
            raise self._fail(key, f"must be {_kind_name(kind)}, not true or false")
        if not isinstance(value, kind):
            raise self._fail(key, f"must be {_kind_name(kind)}")
        return value

    def str(self, key: builtins.str, default: Any = ...) -> builtins.str:
        return self._get(key, builtins.str, default)  # type: ignore[no-any-return]

    def bool(self, key: builtins.str, default: Any = ...) -> builtins.bool:
        return self._get(key, builtins.bool, default)  # type: ignore[no-any-return]

    def int(
        self,
        key: builtins.str,
        default: Any = ...,
        *,
        minimum: builtins.int | None = None,
        maximum: builtins.int | None = None,
    ) -> builtins.int:
        value = self._get(key, builtins.int, default)
        self._check_range(key, value, minimum, maximum)
        return value  # type: ignore[no-any-return]

    def number(
        self,
        key: builtins.str,
        default: Any = ...,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float:
        value = float(self._get(key, (builtins.int, float), default))
        self._check_range(key, value, minimum, maximum)
        return value

    def _check_range(
        self, key: builtins.str, value: float, minimum: float | None, maximum: float | None
    ) -> None:
        if minimum is not None and value < minimum:
            raise self._fail(key, f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise self._fail(key, f"must be at most {maximum}")

    def str_list(
        self,
        key: builtins.str,
        default: Any = ...,
        *,
        allowed: Iterable[builtins.str] | None = None,
        what: builtins.str = "one of the known values",
    ) -> tuple[builtins.str, ...]:
        """A list of strings; with ``allowed``, each must be in it (``what`` names them)."""
        value = self._get(key, list, default)
        if not all(isinstance(item, builtins.str) for item in value):
            raise self._fail(key, "must be a list of text values")
        if allowed is not None:
            allowed_set = set(allowed)
            for item in value:
                if item not in allowed_set:
                    raise self._fail(key, f"{item!r} is not {what}")
        return tuple(value)

    def choice(
        self, key: builtins.str, choices: Iterable[builtins.str], default: Any = ...
    ) -> builtins.str:
        value = self.str(key, default)
        options = tuple(choices)
        if value not in options:
            raise self._fail(key, f"must be one of {', '.join(options)}, not {value!r}")
        return value

    def section(self, key: builtins.str, default: Any = ...) -> Section:
        """The sub-table ``key``; with any ``default``, a missing table reads as empty."""
        value = self._get(key, dict, ... if default is ... else {})
        return Section(self.file, value, f"{self._key(key)}.")

    def sections(self, key: builtins.str) -> dict[builtins.str, Section]:
        """Each sub-table of the table ``key``, by name."""
        outer = self._get(key, dict)
        result = {}
        for name, value in outer.items():
            if not isinstance(value, dict):
                raise self._fail(f"{key}.{name}", "must be a table")
            result[name] = Section(self.file, value, f"{self._key(key)}.{name}.")
        return result

    def reject_unknown(self, known: Iterable[builtins.str]) -> None:
        """Refuse keys nobody reads, so that a misspelt key is not silently ignored."""
        unknown = set(self.data) - set(known)
        if unknown:
            raise self._fail(sorted(unknown)[0], "is not a known setting")


def _kind_name(kind: Any) -> str:
    names = {
        str: "text",
        int: "a whole number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    if isinstance(kind, tuple):
        return "a number"
    return names.get(kind, kind.__name__)


def read_policy_file(directory: Path, name: str) -> Section:
    """Parse ``directory/name`` as TOML; PolicyError if it is missing or malformed."""
    path = directory / name
    if not path.is_file():
        raise PolicyError(name, "(file)", f"not found in {directory}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(name, "(syntax)", str(exc)) from exc
    return Section(name, data)
