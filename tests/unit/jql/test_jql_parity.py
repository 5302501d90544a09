"""Parity with Atlassian's own JQL parser (npm @atlaskit/jql-parser), the referee for syntax.

One Node.js process judges the whole corpus. If the oracle is not installed these tests
fail and say to run `make oracle`; they never skip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from jql_corpus import DELIBERATE, corpus, documented, printed_trees
from jql_oracle import oracle_verdicts

from ticketlens.jql import JQLSyntaxError, Query, parse, to_jql


@dataclass(frozen=True)
class Judged:
    text: str
    ours: Query | JQLSyntaxError
    theirs: bool

    @property
    def we_accept(self) -> bool:
        return isinstance(self.ours, Query)


@dataclass(frozen=True)
class Verdicts:
    corpus: list[Judged]
    canonical: dict[str, bool]
    trees: dict[str, bool]


def _ours(text: str) -> Query | JQLSyntaxError:
    try:
        return parse(text)
    except JQLSyntaxError as error:
        return error


@pytest.fixture(scope="module")
def verdicts() -> Verdicts:
    texts = corpus()
    ours = [_ours(text) for text in texts]
    canonical = sorted({to_jql(q) for q in ours if isinstance(q, Query)})
    trees = sorted(set(printed_trees(300)))
    answers = oracle_verdicts(texts + canonical + trees)
    judged = [Judged(t, o, a) for t, o, a in zip(texts, ours, answers, strict=False)]
    rest = answers[len(texts) :]
    return Verdicts(
        judged,
        dict(zip(canonical, rest[: len(canonical)], strict=True)),
        dict(zip(trees, rest[len(canonical) :], strict=True)),
    )


def _deliberate(judged: Judged) -> bool:
    return isinstance(judged.ours, JQLSyntaxError) and any(
        marker in judged.ours.message for marker in DELIBERATE
    )


def _show(rows: list[Judged]) -> str:
    return "\n".join(
        f"  {row.text!r}: ours={'accept' if row.we_accept else row.ours}, "
        f"atlassian={'accept' if row.theirs else 'reject'}"
        for row in rows[:25]
    )


def test_corpus_has_at_least_2000_queries_with_both_verdicts(verdicts: Verdicts) -> None:
    accepted = sum(row.theirs for row in verdicts.corpus)
    assert len(verdicts.corpus) >= 2000
    assert accepted >= 500 and len(verdicts.corpus) - accepted >= 500


def test_same_verdict_as_atlassian_on_the_whole_corpus(verdicts: Verdicts) -> None:
    differ = [
        row for row in verdicts.corpus if row.we_accept != row.theirs and not _deliberate(row)
    ]
    assert not differ, f"{len(differ)} verdicts differ from Atlassian's parser:\n{_show(differ)}"


def test_documented_examples_match_their_annotation_in_atlassian(verdicts: Verdicts) -> None:
    theirs = {row.text: row.theirs for row in verdicts.corpus}
    wrong = [text for accepted, text in documented() if theirs[text] != accepted]
    assert not wrong, f"corpus/documented.jql annotations disagree with Atlassian: {wrong}"


def test_canonical_print_of_every_accepted_query_is_accepted_by_atlassian(
    verdicts: Verdicts,
) -> None:
    rejected = [text for text, ok in verdicts.canonical.items() if not ok]
    assert len(verdicts.canonical) >= 1000
    assert not rejected, f"Atlassian rejects {len(rejected)} canonical prints: {rejected[:20]}"


def test_canonical_print_round_trips_for_every_accepted_query(verdicts: Verdicts) -> None:
    broken = []
    for row in verdicts.corpus:
        if isinstance(row.ours, Query):
            printed = to_jql(row.ours)
            if parse(printed) != row.ours or to_jql(parse(printed)) != printed:
                broken.append(row.text)
    assert not broken, f"print/parse round trip broke for: {broken[:20]}"


def test_printed_trees_with_arbitrary_text_are_accepted_by_atlassian(verdicts: Verdicts) -> None:
    rejected = [text for text, ok in verdicts.trees.items() if not ok]
    assert len(verdicts.trees) >= 250
    assert not rejected, f"Atlassian rejects {len(rejected)} printed trees: {rejected[:20]}"


DELIBERATE_EXAMPLES = [
    ("a[b] = 1", "Only entity properties take [...]"),
    ("issue.prop[x] = 1", "Only entity properties take [...]"),
    ("issue.property[k]x = 1", "A property path"),
    ("issue.property[k].a. = 1", "A property path"),
    ("issue.property[k].a b = 1", "A property path"),
    ("cf[1][2] = 1", "A field takes one [...] accessor"),
    ("issue.property[a][b] = 1", "A field takes one [...] accessor"),
    ("(" * 300 + "a = b" + ")" * 300, "nest more than"),
]


def test_documented_deliberate_differences_are_refusals_of_what_atlassian_accepts() -> None:
    texts = [text for text, _ in DELIBERATE_EXAMPLES]
    assert all(oracle_verdicts(texts))
    for text, reason in DELIBERATE_EXAMPLES:
        with pytest.raises(JQLSyntaxError, match=re.escape(reason)):
            parse(text)
