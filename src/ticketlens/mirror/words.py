"""Folding and word splitting shared by the writes and the JQL compiler.

Both sides must fold and split text identically, so that ``summary ~ "Login"`` finds
an issue whose summary says "login failed". Folding is Python's ``str.casefold`` (the
databases' own ``lower()`` differ outside ASCII); a word is a run of Unicode letters,
digits or underscores, as in Lucene's standard tokenizer that Jira uses.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """``text`` compared without regard to case."""
    return text.casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return _WORD.findall(text.casefold())


def word_string(text: str | None) -> str | None:
    """The form stored in ``*_words`` columns: `` w1 w2 … `` (a space at each end)."""
    if text is None:
        return None
    found = words(text)
    return f" {' '.join(found)} " if found else " "
