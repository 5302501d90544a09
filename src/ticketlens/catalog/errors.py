"""Errors found in descriptor files. Each names the file, the line and the key path.

CatalogError
 └── DescriptorError          file, line, key path, problem and how to fix it
      ├── MalformedYAML       the file is not valid YAML (or not UTF-8 text)
      ├── UnknownFormat       neither a Cortex nor a Backstage descriptor
      ├── InvalidTag          the tag is missing or has characters tags can't have
      ├── WrongType           a key holds the wrong kind of value (``labels: 5``)
      ├── InvalidValue        a value of the right type that can't be used
      └── DuplicateTag        two descriptors define the same tag
"""

from __future__ import annotations


class CatalogError(ValueError):
    """Base class of every catalog error."""


class DescriptorError(CatalogError):
    """A problem at ``file:line`` under ``key_path``, with a hint on how to fix it."""

    kind = "invalid-descriptor"

    def __init__(self, file: str, line: int, key_path: str, problem: str, hint: str = "") -> None:
        self.file = file
        self.line = line
        self.key_path = key_path
        self.problem = problem
        self.hint = hint
        super().__init__(self.message())

    def message(self) -> str:
        """``file:line: key.path: problem; hint``."""
        where = f"{self.file}:{self.line}"
        text = (
            f"{where}: {self.key_path}: {self.problem}"
            if self.key_path
            else (f"{where}: {self.problem}")
        )
        return f"{text}; {self.hint}" if self.hint else text

    def to_json(self) -> dict[str, str | int]:
        """The error as JSON-ready data (API answers, ``--json`` output)."""
        return {
            "kind": self.kind,
            "file": self.file,
            "line": self.line,
            "keyPath": self.key_path,
            "problem": self.problem,
            "hint": self.hint,
            "message": self.message(),
        }


class MalformedYAML(DescriptorError):
    """The file does not parse as YAML."""

    kind = "malformed-yaml"


class UnknownFormat(DescriptorError):
    """The document is neither a Cortex ``cortex.yaml`` nor a Backstage entity."""

    kind = "unknown-format"


class InvalidTag(DescriptorError):
    """The tag is missing, or is not lowercase letters, digits, ``-``, ``_`` and ``.``."""

    kind = "invalid-tag"


class WrongType(DescriptorError):
    """A key holds the wrong kind of value."""

    kind = "wrong-type"


class InvalidValue(DescriptorError):
    """A value has the right type but can't be used (empty, ambiguous, …)."""

    kind = "invalid-value"


class DuplicateTag(DescriptorError):
    """The tag is already defined by another descriptor."""

    kind = "duplicate-tag"
