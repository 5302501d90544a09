"""The JQL case table, evaluated by the mirror on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from mirror_cases import cases
from mirror_dataset import ALL_KEYS, MAIN, NOW, TZ

from ticketlens.db.engine import create_engine
from ticketlens.jql import parse
from ticketlens.mirror import count, search_ids

CASES = cases()


def test_the_case_table_has_at_least_150_cases() -> None:
    assert len(CASES) >= 150


@pytest.mark.parametrize(("jql", "expected"), CASES, ids=[c[0] for c in CASES])
async def test_query_selects_exactly_the_expected_issues(
    loaded_url: str, jql: str, expected: frozenset[str] | None
) -> None:
    engine = create_engine(loaded_url)
    try:
        query = parse(jql)
        ids = await search_ids(engine, MAIN, query, tz=TZ, now=NOW)
        number = await count(engine, MAIN, query, tz=TZ, now=NOW)
    finally:
        await engine.dispose()
    keys = {_KEY_BY_ID[i] for i in ids}
    assert keys == (expected if expected is not None else ALL_KEYS)
    assert number == len(ids) == len(set(ids))


def _keys_by_id() -> dict[int, str]:
    from mirror_dataset import ISSUES

    return {i.id: i.key for i in ISSUES}


_KEY_BY_ID = _keys_by_id()
