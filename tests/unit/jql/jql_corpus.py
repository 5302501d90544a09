"""The parity corpus: JQL that both parsers judge. Built from Atlassian's documentation
(``corpus/documented.jql``), from systematic sweeps of the quoting rules, and from
hypothesis-generated queries and mutations of them."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jql_strategies import QUERIES, mutate, query_texts

from ticketlens.jql import to_jql
from ticketlens.jql.lexicon import KEYWORDS, RESERVED_WORDS

DOCUMENTED = Path(__file__).with_name("corpus") / "documented.jql"

#: Our deliberate refusals of text Atlassian's parser accepts (see docs/jql.md).
DELIBERATE = (
    "Only entity properties take [...]",
    "A property path",
    "A field takes one [...] accessor",
    "nest more than",
)


def documented() -> list[tuple[bool, str]]:
    """(accepted?, query) for every example in ``corpus/documented.jql``."""
    rows = []
    for line in DOCUMENTED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append((line.startswith("+ "), line[2:]))
    return rows


def reserved_word_sweep() -> list[str]:
    """Every keyword and reserved word, bare and quoted, wherever a word can stand."""
    contexts = [
        "labels = {w}",
        "{w} = x",
        "labels in (a, {w})",
        "labels = f({w})",
        "labels = {w}()",
        "order by {w}",
    ]
    words = sorted(RESERVED_WORDS | set(KEYWORDS) | {"a", "an", "all", "are", "issue"})
    out = []
    for word in words:
        for context in contexts:
            out.append(context.format(w=word))
            out.append(context.format(w=f'"{word}"'))
        out.append(f"labels = {word.upper()}")
    return out


def character_sweep() -> list[str]:
    """Every ASCII character and a sample of others, bare, quoted and in field names."""
    chars = [chr(code) for code in range(128)]
    chars += ["\x85", "\xa0", "é", "ß", "\u2028", "\u3000", "\ufdd0", "\ufeff", "\ufffd"]
    chars += ["\ufffe", "\U0001f600", "日"]
    out = []
    for char in chars:
        out += [f"labels = a{char}b", f"labels = {char}a", f'labels = "a{char}b"']
        out += [f"labels = 'a{char}b'", f"a{char}b = 1"]
    return out


def escape_sweep() -> list[str]:
    """Every backslash escape, valid or not, bare and in both kinds of quotes."""
    escapes = [*"\"'\\tnr bfv0/-=()[]{},xUu", "u0041", "u00e9", "u00E9", "uFFFF", "u004", "\t"]
    out = []
    for escape in escapes:
        body = f"a\\{escape}b"
        out += [f"labels = {body}", f'labels = "{body}"', f"labels = '{body}'"]
    return out


def operator_sweep() -> list[str]:
    """Every operator with every kind of operand, and every history predicate."""
    operators = ["=", "!=", ">", ">=", "<", "<=", "~", "!~", "in", "not in", "is", "is not"]
    operators += ["was", "was not", "was in", "was not in", "changed"]
    operands = ["x", '"x y"', "EMPTY", "f()", "f(a, 'b')", "(a, b)", "(EMPTY)", "", "((a), b)"]
    predicates = ["after", "before", "on", "during", "by", "from", "to"]
    out = []
    for operator in operators:
        for operand in operands:
            out.append(f"status {operator} {operand}".rstrip())
            for predicate in predicates:
                out.append(f"status {operator} {operand} {predicate} x".replace("  ", " "))
                out.append(f"status {operator} {operand} {predicate} (a, b)".replace("  ", " "))
    return out


def _collect(strategy: st.SearchStrategy[str], count: int) -> list[str]:
    found: list[str] = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(text: str) -> None:
        found.append(text)

    collect()
    return found


def generated(count: int) -> list[str]:
    """``count`` hypothesis-generated queries, ``count`` one-edit mutations of them, and
    ``count // 4`` strings of JQL-ish noise."""
    texts = _collect(query_texts(), count)
    rng = random.Random(20241203)
    mutations = [mutate(rng.choice(texts), rng) for _ in range(count)]
    noise_alphabet = st.sampled_from([*list("ab1 -.()=,\"'\\!~<>&|[]"), "and ", "not ", "in "])
    noise = _collect(st.lists(noise_alphabet, max_size=14).map("".join), count // 4)
    return texts + mutations + noise


def printed_trees(count: int) -> list[str]:
    """Canonical prints of hypothesis-generated query trees with arbitrary text values."""
    return [to_jql(tree) for tree in _collect(QUERIES, count)]  # type: ignore[arg-type]


def corpus(generated_count: int = 1000) -> list[str]:
    """The whole parity corpus, de-duplicated, in a stable order."""
    texts = [text for _, text in documented()]
    texts += reserved_word_sweep() + character_sweep() + escape_sweep() + operator_sweep()
    texts += generated(generated_count)
    return list(dict.fromkeys(texts))
