"""Near-misses: values that almost match an entity, and what it would take to match.

Pure: no I/O. A value found in Jira is a near-miss of a wanted match value when it
differs only by case, by surrounding whitespace, or by one edit (one character
inserted, removed or replaced). These are the usual reasons a ticket "should" belong to
an entity but does not: ``Search-Indexer``, ``search-indexer `` and ``search-indexr``
for the tag ``search-indexer``.

Jira compares labels, components and projects without regard to case, so issues whose
value differs from the wanted one only in case do match. They are still reported, with
``matches`` set, because a descriptor and Jira spelling one value two ways is worth
seeing; only the other differences keep an issue out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ticketlens.catalog.matching import MatchField, MatchValue

Difference = Literal["case", "whitespace", "case and whitespace", "one edit"]

# One edit on a very short value matches too much noise (``api`` vs ``apx``).
MIN_LENGTH_FOR_EDIT = 4


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A value ``found`` in Jira that is close to the match value ``wanted``."""

    field: MatchField
    wanted: str
    found: str
    difference: Difference
    matches: bool = False

    def remedy(self) -> str:
        """What would make issues carrying ``found`` match, in plain words."""
        noun = {"labels": "label", "component": "component", "project": "project"}[self.field]
        key = {"labels": "labels", "component": "components", "project": "projects"}[self.field]
        if self.matches:
            return (
                f"nothing: these issues match, because Jira compares {key} without regard to "
                f"case; rename the {noun} {self.found!r} to {self.wanted!r} to keep one spelling"
            )
        override = f"or add {self.found!r} to the descriptor's Jira {key} override"
        if self.field == "project":
            return f"use project {self.wanted!r} on the issue, {override}"
        return f"rename the {noun} {self.found!r} to {self.wanted!r}, {override}"


def difference(wanted: str, found: str, *, case_sensitive: bool = True) -> Difference | None:
    """How ``found`` differs from ``wanted``, or None when equal or not close.

    With ``case_sensitive=False`` (fields Jira compares without case) a case difference
    is a match, not a near-miss.
    """
    if found == wanted:
        return None
    if not case_sensitive and found.casefold() == wanted.casefold():
        return None
    stripped = found.strip()
    if stripped == wanted:
        return "whitespace"
    if found.casefold() == wanted.casefold():
        return "case"
    if stripped.casefold() == wanted.casefold():
        return "whitespace" if not case_sensitive else "case and whitespace"
    if len(wanted) >= MIN_LENGTH_FOR_EDIT and _one_edit(wanted, found, case_sensitive):
        return "one edit"
    return None


def _one_edit(a: str, b: str, case_sensitive: bool) -> bool:
    """True when ``a`` and ``b`` are exactly one insertion, deletion or substitution apart."""
    if not case_sensitive:
        a, b = a.casefold(), b.casefold()
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(1 for x, y in zip(a, b, strict=True) if x != y) == 1
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


# The mirror (and Jira, see docs/jira-semantics.md) compares labels, components and
# projects without regard to case, so a case difference alone is a match there.
CASE_INSENSITIVE_FIELDS: frozenset[MatchField] = frozenset({"labels", "component", "project"})


def find_near_misses(
    wanted: Iterable[MatchValue],
    found: dict[MatchField, Iterable[str]],
    *,
    case_insensitive: frozenset[MatchField] = CASE_INSENSITIVE_FIELDS,
) -> list[NearMiss]:
    """Every near-miss between the wanted match values and the values seen in Jira.

    ``found`` maps a field to the distinct values present on mirrored issues. Values that
    equal some wanted value exactly are skipped. On a case-insensitive field, a value that
    differs from a wanted one only in case is reported as a ``case`` difference that
    ``matches``.
    """
    wanted_by_field: dict[MatchField, set[str]] = {}
    for item in wanted:
        wanted_by_field.setdefault(item.field, set()).add(item.value)
    misses: list[NearMiss] = []
    for match_field, targets in wanted_by_field.items():
        case_sensitive = match_field not in case_insensitive
        exact = targets if case_sensitive else {t.casefold() for t in targets}
        for candidate in sorted(set(found.get(match_field, ()))):
            if candidate in targets:
                continue
            probe = candidate if case_sensitive else candidate.casefold()
            if probe in exact:
                misses.extend(
                    NearMiss(match_field, target, candidate, "case", matches=True)
                    for target in sorted(targets)
                    if target.casefold() == probe
                )
                continue
            for target in sorted(targets):
                kind = difference(target, candidate, case_sensitive=case_sensitive)
                if kind is not None:
                    misses.append(NearMiss(match_field, target, candidate, kind))
    return misses
