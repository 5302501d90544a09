"""What JQL's words and characters are: keywords, reserved words, and the quoting rules.

One table serves both directions: the tokenizer reads text with it and the printer
decides with it when a value needs quotes, so the two cannot drift apart.

Sources (see docs/jql.md): Atlassian's "JQL: reserved words and characters" pages and
Atlassian's own parser (npm ``@atlaskit/jql-parser``), which is the referee for syntax.
"""

from __future__ import annotations

import re
from typing import Final

#: Words with a meaning in JQL's grammar, mapped to the terminal the parser sees
#: (a leading underscore marks punctuation the syntax tree does not keep).
KEYWORDS: Final[dict[str, str]] = {
    "and": "_AND",
    "or": "_OR",
    "not": "NOT",
    "empty": "EMPTY",
    "null": "EMPTY",
    "in": "IN",
    "is": "IS",
    "was": "WAS",
    "changed": "CHANGED",
    "order": "_ORDER",
    "by": "BY",
    "asc": "ASC",
    "desc": "DESC",
    "after": "AFTER",
    "before": "BEFORE",
    "on": "ON",
    "during": "DURING",
    "from": "FROM",
    "to": "TO",
    "cf": "CF",
}

#: Words Jira reserves for future use: they must be quoted wherever a value or a
#: field name is written. Atlassian's documented list, less the four words its own
#: parser accepts unquoted ("a", "an", "all", "are").
_RESERVED_TEXT: Final = """
    abort access add after alias alter and any as asc audit avg before begin between
    boolean break by byte catch cf changed char character check checkpoint collate
    collation column commit connect continue count create current date decimal declare
    decrement default defaults define delete delimiter desc difference distinct divide
    do double drop during else empty encoding end equals escape exclusive exec execute
    exists explain false fetch field file first float for from function go goto grant
    greater group having identified if immediate in increment index initial inner inout
    input insert int integer intersect intersection into is isempty isnull join last
    left less like limit lock long max min minus mode modify modulo more multiply next
    noaudit not notin nowait null number object of on option or order outer output power
    previous prior privileges public raise raw remainder rename resource return returns
    revoke right row rowid rownum rows select session set share size sqrt start strict
    string subtract sum synonym table then to trans transaction trigger true uid union
    unique update user validate values view was when whenever where while with
"""
RESERVED_WORDS: Final[frozenset[str]] = frozenset(_RESERVED_TEXT.split())

# Characters allowed in an unquoted word: letters, digits, ``- . : _ ` `` and every
# printable character from U+00A0 up, except the Unicode non-characters.
_WORD_CHAR: Final = "-.0-9:A-Z_a-z`\u00a0-\ufdcf\ufdf0-\ufffd\U00010000-\U0010ffff"
# Characters that may stand unescaped inside quotes: everything except the quote
# itself, the backslash, tab, and C0/C1 control characters other than CR and LF.
_QUOTED_BAN: Final = "\\\\\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
_ESCAPE: Final = r"""\\(?:["'\\tnr ]|u[0-9a-fA-F]{4})"""

WORD_RE: Final = re.compile(f"(?:[{_WORD_CHAR}]|{_ESCAPE})+")
_PLAIN_WORD_RE: Final = re.compile(f"[{_WORD_CHAR}]+")
DQ_STRING: Final = f'"(?:[^"{_QUOTED_BAN}]|{_ESCAPE})*"'
SQ_STRING: Final = f"'(?:[^'{_QUOTED_BAN}]|{_ESCAPE})*'"
ESCAPE_RE: Final = re.compile(_ESCAPE)
_NEEDS_ESCAPE_RE: Final = re.compile(f'["{_QUOTED_BAN}]')

_SIMPLE_ESCAPES: Final[dict[str, str]] = {
    '"': '"',
    "'": "'",
    "\\": "\\",
    "t": "\t",
    "n": "\n",
    "r": "\r",
    " ": " ",
}
_PRINT_ESCAPES: Final[dict[str, str]] = {
    '"': '\\"',
    "\\": "\\\\",
    "\t": "\\t",
    "\n": "\\n",
    "\r": "\\r",
}


def _unescape_one(match: re.Match[str]) -> str:
    body = match.group()[1:]
    if body[0] == "u":
        return chr(int(body[1:], 16))
    return _SIMPLE_ESCAPES[body]


def unescape(raw: str) -> str:
    """The text a word or the inside of a quoted string stands for."""
    if "\\" not in raw:
        return raw
    return ESCAPE_RE.sub(_unescape_one, raw)


def is_reserved(word: str) -> bool:
    """True when ``word`` is a keyword or reserved word (case-insensitive)."""
    lowered = word.lower()
    return lowered in RESERVED_WORDS or lowered in KEYWORDS


def needs_quotes(text: str) -> bool:
    """True when ``text`` must be written in quotes.

    That is: it is empty, it is a reserved word, or it holds a character outside the
    bare-word set: space, a quote, an operator, or one of the characters Atlassian
    documents as reserved (``+ . , ; ? | * / % ^ $ # @ [ ]``). Atlassian's parser also
    reads a bare ``.`` (``3.14``), but its documentation asks for quotes, so the
    printer quotes it.
    """
    return not _PLAIN_WORD_RE.fullmatch(text) or "." in text or is_reserved(text)


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    return _PRINT_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def quote(text: str) -> str:
    """``text`` as a double-quoted JQL string with the escapes Jira reads back."""
    return '"' + _NEEDS_ESCAPE_RE.sub(_escape_one, text) + '"'


def word(text: str) -> str:
    """``text`` printed bare when JQL allows it, quoted otherwise."""
    return quote(text) if needs_quotes(text) else text
