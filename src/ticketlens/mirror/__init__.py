"""The mirror: Jira issues stored locally, and JQL evaluated over them as SQL.

Writes: ``upsert_issues``, ``delete_issues``, ``record_priorities``. Reads: ``compile``
(JQL AST → one SELECT), ``search`` (keyset pages), ``count`` and ``count_by`` (one
statement for many groups). Semantics follow Jira's documentation; see
``docs/jira-semantics.md``. Anything outside the subset raises ``UnsupportedJQL``.
"""

from ticketlens.mirror.compiler import compile, compile_condition
from ticketlens.mirror.errors import InvalidCursor, MirrorError, UnsupportedJQL
from ticketlens.mirror.grouping import Grouping, GroupMatch
from ticketlens.mirror.jira_json import JiraIssueFormatError, adf_to_text, issue_from_jira
from ticketlens.mirror.model import MirrorIssue, MirrorUser, NamedItem
from ticketlens.mirror.queries import Page, count, count_by, issue_from_row, search, search_ids
from ticketlens.mirror.writes import (
    delete_issues,
    record_priorities,
    refresh_statistics,
    upsert_issues,
)

__all__ = [
    "GroupMatch",
    "Grouping",
    "InvalidCursor",
    "JiraIssueFormatError",
    "MirrorError",
    "MirrorIssue",
    "MirrorUser",
    "NamedItem",
    "Page",
    "UnsupportedJQL",
    "adf_to_text",
    "compile",
    "compile_condition",
    "count",
    "count_by",
    "delete_issues",
    "issue_from_jira",
    "issue_from_row",
    "record_priorities",
    "refresh_statistics",
    "search",
    "search_ids",
    "upsert_issues",
]
