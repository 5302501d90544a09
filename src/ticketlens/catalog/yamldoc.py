"""YAML documents that remember where every key and item came from.

PyYAML's composer gives each node a line number; ``load_documents`` keeps those per key
path, so a descriptor error can say ``cortex.yaml:12: info.x-cortex-issues.jira.labels``.
``DocumentReader`` reads typed values by key path and raises the catalog's errors.
Loading is safe (no Python object tags) and does no I/O: it takes text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from ticketlens.catalog.errors import InvalidValue, MalformedYAML, WrongType

KeyPath = tuple[str | int, ...]

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def render_path(path: KeyPath) -> str:
    """``("info", "x-cortex-owners", 0, "name")`` → ``info.x-cortex-owners[0].name``.

    Keys with other characters are quoted: ``metadata.annotations["jira/label"]``.
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part)}]"
    return text


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """One document of a YAML file, with the line of every key and list item."""

    file: str
    index: int
    data: Any
    lines: Mapping[KeyPath, int]

    @property
    def start_line(self) -> int:
        """The line the document starts on."""
        return self.lines.get((), 1)

    def line_of(self, path: KeyPath) -> int:
        """The line of ``path``, or of its nearest ancestor present in the file."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1


def load_documents(text: str, file: str) -> list[YamlDocument]:
    """Every non-empty document in ``text``. Raises MalformedYAML, naming the line."""
    loader = yaml.SafeLoader(text)
    documents: list[YamlDocument] = []
    try:
        index = 0
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            lines: dict[KeyPath, int] = {}
            _record_lines(node, (), lines, file)
            data = loader.construct_document(node)
            if data is not None:
                documents.append(YamlDocument(file, index, data, lines))
            index += 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise MalformedYAML(
            file, line, "", f"malformed YAML: {problem}", "fix the YAML syntax at that line"
        ) from exc
    except yaml.YAMLError as exc:
        raise MalformedYAML(
            file, 1, "", f"malformed YAML: {exc}", "save the file as plain UTF-8 YAML"
        ) from exc
    finally:
        loader.dispose()
    return documents


def _record_lines(node: Node, path: KeyPath, lines: dict[KeyPath, int], file: str) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen and key != "<<":
                raise MalformedYAML(
                    file,
                    line,
                    render_path((*path, key)),
                    f"duplicate key {key!r} (first on line {seen[key]})",
                    "keep only one of them",
                )
            seen[key] = line
            lines[(*path, key)] = line
            _record_lines(value_node, (*path, key), lines, file)
    elif isinstance(node, SequenceNode):
        for position, item in enumerate(node.value):
            _record_lines(item, (*path, position), lines, file)


def describe(value: Any) -> str:
    """A value's YAML kind for messages: ``an integer (5)``, ``a list``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_MISSING = object()


class DocumentReader:
    """Typed access to a document by key path; wrong types become WrongType errors."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document

    def get(self, path: KeyPath) -> Any:
        """The value at ``path``, or None when any part of it is absent."""
        current: Any = self.document.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(current, list) or part >= len(current):
                    return None
                current = current[part]
            else:
                if not isinstance(current, dict) or part not in current:
                    return None
                current = current[part]
        return current

    def has(self, path: KeyPath) -> bool:
        """True when ``path`` is present (even with a null value)."""
        parent = self.get(path[:-1]) if path else self.document.data
        return isinstance(parent, dict) and path[-1] in parent

    def wrong_type(self, path: KeyPath, expected: str, value: Any, hint: str = "") -> WrongType:
        """A WrongType error for ``path``."""
        return WrongType(
            self.document.file,
            self.document.line_of(path),
            render_path(path),
            f"expected {expected}, got {describe(value)}",
            hint,
        )

    def invalid(self, path: KeyPath, problem: str, hint: str = "") -> InvalidValue:
        """An InvalidValue error for ``path``."""
        return InvalidValue(
            self.document.file, self.document.line_of(path), render_path(path), problem, hint
        )

    def mapping(self, path: KeyPath) -> dict[str, Any]:
        """The mapping at ``path``; empty when absent or null."""
        value = self.get(path)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.wrong_type(path, "a mapping of keys to values", value)
        return value

    def string(self, path: KeyPath, hint: str = "") -> str | None:
        """The non-empty string at ``path``; None when absent or null."""
        value = self.get(path)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.wrong_type(
                path, "a string", value, hint or "quote the value to make it a string"
            )
        if not value.strip():
            raise self.invalid(path, "is empty", hint or "give it a value or remove the key")
        return value

    def sequence(self, path: KeyPath, hint: str = "") -> list[Any]:
        """The list at ``path``; empty when absent or null."""
        value = self.get(path)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.wrong_type(path, "a list", value, hint)
        return value

    def strings(self, path: KeyPath) -> tuple[str, ...]:
        """A list of non-empty strings, in order, without repeats."""
        items = self.sequence(path, hint="write it as a YAML list of strings")
        found: list[str] = []
        for position, item in enumerate(items):
            text = self.string((*path, position))
            if text is None:
                raise self.wrong_type((*path, position), "a string", item)
            if text not in found:
                found.append(text)
        return tuple(found)
