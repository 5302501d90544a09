# ruff: noqa: E501 - one case per line reads best as a table
"""(JQL, expected keys) over ``mirror_dataset``: NOW is Wed 2024-03-13 15:00 UTC (16:00 in
Europe/Berlin). Expected keys are a set; ``-`` means no issue. Each line: ``JQL => KEYS``.
"""

from __future__ import annotations

_TABLE = r"""
# project: key, name or id, any case
project = PAY => PAY-1 PAY-2 PAY-3 PAY-5 PAY-10
project = pay => PAY-1 PAY-2 PAY-3 PAY-5 PAY-10
project = Payments => PAY-1 PAY-2 PAY-3 PAY-5 PAY-10
project = "payments" => PAY-1 PAY-2 PAY-3 PAY-5 PAY-10
project = 10000 => PAY-1 PAY-2 PAY-3 PAY-5 PAY-10
project in (CHK, Operations) => CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3
project != PAY => CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3 LEDG-1
project not in (PAY, CHK, OPS) => LEDG-1
project is EMPTY => -
project is not EMPTY => *
project = NOPE => -
NOT project = PAY => CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3 LEDG-1
# issue keys and ids
key = PAY-1 => PAY-1
issuekey = pay-1 => PAY-1
key in (PAY-1, CHK-2, NOPE-1) => PAY-1 CHK-2
key != PAY-1 => PAY-2 PAY-3 PAY-5 PAY-10 CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3 LEDG-1
key = 8 => CHK-2
id = 5 => PAY-5
key > PAY-2 => PAY-3 PAY-5 PAY-10
key <= PAY-2 => PAY-1 PAY-2
key < CHK-3 => CHK-1 CHK-2
issue >= OPS-2 => OPS-2 OPS-3
key not in (PAY-1, PAY-2) => PAY-3 PAY-5 PAY-10 CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3 LEDG-1
# labels: any case; != and NOT IN leave out issues holding the value, and unlabelled ones
labels = payments-api => PAY-1 PAY-2 PAY-5
labels = PAYMENTS-API => PAY-1 PAY-2 PAY-5
labels = customer-facing => CHK-1 OPS-1
labels != payments-api => CHK-1 OPS-1 LEDG-1 CHK-2 OPS-2 PAY-10 CHK-3
labels in (incident, ledger) => PAY-5 OPS-1 LEDG-1
labels not in (incident, ledger) => PAY-1 PAY-2 CHK-1 CHK-2 OPS-2 PAY-10 CHK-3
labels is EMPTY => PAY-3 OPS-3
labels is not EMPTY => PAY-1 PAY-2 CHK-1 PAY-5 OPS-1 LEDG-1 CHK-2 OPS-2 PAY-10 CHK-3
labels = EMPTY => PAY-3 OPS-3
labels != EMPTY => PAY-1 PAY-2 CHK-1 PAY-5 OPS-1 LEDG-1 CHK-2 OPS-2 PAY-10 CHK-3
labels = security AND labels = payments-api => PAY-1
labels = search-indexer => PAY-10 CHK-3
NOT labels = incident => PAY-1 PAY-2 CHK-1 LEDG-1 CHK-2 OPS-2 PAY-10 CHK-3
labels in (EMPTY, ops) => PAY-3 OPS-3 OPS-2
labels not in (EMPTY, ops) => PAY-1 PAY-2 CHK-1 PAY-5 OPS-1 LEDG-1 CHK-2 PAY-10 CHK-3
labels = nope => -
labels = elsewhere => -
# components: name (any case) or id
component = Payments => PAY-1 PAY-3 PAY-5
component = payments => PAY-1 PAY-3 PAY-5
component = 101 => PAY-3
component in (Web, Infra) => CHK-1 CHK-2 OPS-2
component != Payments => CHK-1 LEDG-1 CHK-2 OPS-2
component is EMPTY => PAY-2 OPS-1 PAY-10 CHK-3 OPS-3
component not in (Web, Payments) => LEDG-1 OPS-2
component = payments-api => CHK-2
component is not EMPTY => PAY-1 PAY-3 CHK-1 PAY-5 LEDG-1 CHK-2 OPS-2
# status: name (any case) or id
status = "To Do" => PAY-1 CHK-1 LEDG-1 PAY-10 OPS-3
status = "to do" => PAY-1 CHK-1 LEDG-1 PAY-10 OPS-3
status = 10010 => PAY-5
status in ("In Progress", Backlog) => PAY-2 CHK-2 CHK-3
status != Done => PAY-1 PAY-2 PAY-5 PAY-10 CHK-1 CHK-2 CHK-3 OPS-1 OPS-3 LEDG-1
status not in (Done, Closed) => PAY-1 PAY-2 PAY-5 PAY-10 CHK-1 CHK-2 CHK-3 OPS-3 LEDG-1
status is EMPTY => -
status = 3 => PAY-2 CHK-2
# statusCategory: name, key or id
statusCategory = "To Do" => PAY-1 CHK-1 LEDG-1 PAY-10 CHK-3 OPS-3
statusCategory = new => PAY-1 CHK-1 LEDG-1 PAY-10 CHK-3 OPS-3
statusCategory = 2 => PAY-1 CHK-1 LEDG-1 PAY-10 CHK-3 OPS-3
statusCategory in ("To Do", "In Progress") => PAY-1 CHK-1 LEDG-1 PAY-10 CHK-3 OPS-3 PAY-2 PAY-5 CHK-2
statusCategory = indeterminate => PAY-2 PAY-5 CHK-2
statusCategory = 4 => PAY-2 PAY-5 CHK-2
statusCategory != Done => PAY-1 CHK-1 LEDG-1 PAY-10 CHK-3 OPS-3 PAY-2 PAY-5 CHK-2
statusCategory = done => PAY-3 OPS-1 OPS-2
statusCategory = 3 => PAY-3 OPS-1 OPS-2
statusCategory not in (new, done) => PAY-2 PAY-5 CHK-2
statusCategory = "in progress" => PAY-2 PAY-5 CHK-2
# issue types
issuetype = Bug => PAY-1 PAY-3 CHK-2 OPS-3
type = bug => PAY-1 PAY-3 CHK-2 OPS-3
issuetype = "Security Bug" => LEDG-1
issuetype in (Story, Epic) => PAY-2 PAY-5 CHK-3
issuetype != Bug => PAY-2 CHK-1 PAY-5 OPS-1 LEDG-1 OPS-2 PAY-10 CHK-3
issuetype = 5 => OPS-1
issuetype not in (Bug, Task, Story) => PAY-5 OPS-1 LEDG-1 PAY-10
# priority: name, id; < and > by rank (> is more important)
priority = High => PAY-1 PAY-3 CHK-2
priority = high => PAY-1 PAY-3 CHK-2
priority > Medium => PAY-1 PAY-3 CHK-2 PAY-5
priority >= Medium => PAY-1 PAY-3 CHK-2 PAY-5 PAY-2 OPS-2 PAY-10 CHK-3
priority < Medium => CHK-1 OPS-3 LEDG-1
priority <= Low => CHK-1 OPS-3 LEDG-1
priority is EMPTY => OPS-1
priority != High => PAY-2 CHK-1 PAY-5 LEDG-1 OPS-2 PAY-10 CHK-3 OPS-3
priority in (Highest, Lowest) => PAY-5 LEDG-1
priority = 1 => PAY-5
NOT priority > Medium => PAY-2 OPS-2 PAY-10 CHK-3 CHK-1 OPS-3 LEDG-1
priority > Nope => -
# resolution; Unresolved means EMPTY
resolution = Fixed => PAY-3
resolution = "won't do" => OPS-1
resolution is EMPTY => PAY-1 PAY-2 PAY-5 PAY-10 CHK-1 CHK-2 CHK-3 OPS-3 LEDG-1
resolution = Unresolved => PAY-1 PAY-2 PAY-5 PAY-10 CHK-1 CHK-2 CHK-3 OPS-3 LEDG-1
resolution != Unresolved => PAY-3 OPS-1 OPS-2
resolution is not EMPTY => PAY-3 OPS-1 OPS-2
resolution in (Fixed, Done) => PAY-3 OPS-2
resolution != Fixed => OPS-1 OPS-2
# users: account id, user name or display name (any case)
assignee = acc-alice => PAY-1 CHK-1 CHK-2
assignee = alice => PAY-1 CHK-1 CHK-2
assignee = "Alice Smith" => PAY-1 CHK-1 CHK-2
assignee = "alice smith" => PAY-1 CHK-1 CHK-2
assignee is EMPTY => PAY-3 PAY-5 OPS-2 PAY-10 OPS-3
assignee != alice => PAY-2 OPS-1 LEDG-1 CHK-3
assignee in (alice, bob) => PAY-1 CHK-1 CHK-2 PAY-2 OPS-1 CHK-3
assignee not in (alice, bob) => LEDG-1
NOT assignee = bob => PAY-1 CHK-1 CHK-2 LEDG-1
assignee = "Carol Díaz" => LEDG-1
assignee = "CAROL DÍAZ" => LEDG-1
reporter = bob => PAY-1 CHK-1 OPS-1 OPS-2 CHK-3
reporter is EMPTY => OPS-3
reporter != alice => PAY-1 CHK-1 PAY-5 OPS-1 CHK-2 OPS-2 CHK-3
# parent: key (any case) or id
parent = PAY-1 => PAY-10
parent = pay-5 => PAY-2
parent = 5 => PAY-2
parent in (PAY-1, PAY-5) => PAY-10 PAY-2
parent is EMPTY => PAY-1 PAY-3 PAY-5 CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3 LEDG-1
parent != PAY-1 => PAY-2
parent is not EMPTY => PAY-2 PAY-10
# fix versions
fixVersion = "1.0" => PAY-1 PAY-3
fixVersion = 1.1 => PAY-3
fixVersion in ("1.1", "2.0") => PAY-3 LEDG-1
fixVersion != "1.0" => LEDG-1
fixVersion is EMPTY => PAY-2 PAY-5 PAY-10 CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3
fixVersion = 901 => PAY-3
# created: literals are local (Berlin) wall-clock times; relative dates count from NOW
created >= 2024-03-12 => CHK-1 OPS-1 PAY-10 OPS-3
createdDate >= 2024-03-12 => CHK-1 OPS-1 PAY-10 OPS-3
NOT created < 2024-03-12 => CHK-1 OPS-1 PAY-10 OPS-3
created < 2024-01-01 => LEDG-1
created >= "2024/01/01" => PAY-1 PAY-2 PAY-3 PAY-5 PAY-10 CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3
created > "2024-03-13 15:00" => PAY-10
created <= "2024-03-13 07:00" => PAY-1 PAY-2 PAY-3 PAY-5 CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3 LEDG-1
created < "2024-03-13 07:00" => PAY-1 PAY-2 PAY-3 PAY-5 CHK-1 CHK-2 CHK-3 OPS-2 OPS-3 LEDG-1
created >= -1d => OPS-1 PAY-10
created > "-1w 2d" => CHK-1 OPS-1 CHK-2 PAY-10 OPS-3
created > -2h => PAY-10
created >= startOfDay() => OPS-1 PAY-10
created >= startOfDay(-1) => CHK-1 OPS-1 PAY-10 OPS-3
created >= startOfDay("-1d") => CHK-1 OPS-1 PAY-10 OPS-3
created >= startOfWeek() => CHK-1 OPS-1 CHK-2 PAY-10 OPS-3
created >= startOfMonth() => PAY-5 CHK-1 OPS-1 CHK-2 PAY-10 CHK-3 OPS-3
created < startOfYear() => LEDG-1
created >= startOfYear(-1) => *
created < startOfMonth(-1) => PAY-1 PAY-3 LEDG-1
created < startOfMonth("-1M") => PAY-1 PAY-3 LEDG-1
created <= endOfDay(-1) => PAY-1 PAY-2 PAY-3 PAY-5 CHK-1 CHK-2 CHK-3 OPS-2 OPS-3 LEDG-1
created > endOfWeek(-1) => CHK-1 OPS-1 CHK-2 PAY-10 OPS-3
created > startOfWeek("+1d") => CHK-1 OPS-1 PAY-10 OPS-3
created > endOfYear(-1) => PAY-1 PAY-2 PAY-3 PAY-5 PAY-10 CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3
created > now() => -
created <= now() => *
created is EMPTY => -
created >= 1710288000000 => OPS-1 PAY-10
# updated and resolved
updated >= -1h => CHK-1 OPS-1 PAY-10
updated < 2024-02-01 => LEDG-1
updated >= startOfDay() => PAY-2 CHK-1 OPS-1 PAY-10
updatedDate > "2024-03-13 15:58" => CHK-1
resolved >= 2024-03-01 => PAY-3 OPS-1
resolved is EMPTY => PAY-1 PAY-2 PAY-5 PAY-10 CHK-1 CHK-2 CHK-3 OPS-3 LEDG-1
resolutiondate < 2024-03-01 => OPS-2
resolved is not EMPTY => PAY-3 OPS-1 OPS-2
NOT resolved >= 2024-03-01 => OPS-2
# due dates are calendar days, compared as midnight in the user's zone
due = 2024-03-13 => CHK-1
duedate = "2024/03/15" => PAY-1
due < 2024-03-13 => PAY-3 CHK-2
due <= 2024-03-13 => PAY-3 CHK-2 CHK-1
due < now() => PAY-3 CHK-2 CHK-1
due > now() => PAY-1 LEDG-1 OPS-3
due >= startOfDay() => CHK-1 PAY-1 LEDG-1 OPS-3
due <= endOfWeek() => PAY-3 CHK-2 CHK-1 PAY-1 OPS-3
due is EMPTY => PAY-2 PAY-5 OPS-1 OPS-2 PAY-10 CHK-3
due in (2024-03-12, 2024-03-14) => CHK-2 OPS-3
due != 2024-03-13 => PAY-1 PAY-3 LEDG-1 CHK-2 OPS-3
due = "2024-03-13 10:00" => -
due = startOfDay() => CHK-1
due > "2024-03-13 10:00" => PAY-1 LEDG-1 OPS-3
due >= "2024-03-13 10:00" => PAY-1 LEDG-1 OPS-3
due < endOfMonth() => PAY-1 PAY-3 CHK-1 CHK-2 OPS-3
due > -1d => CHK-1 PAY-1 LEDG-1 OPS-3
due in (EMPTY, 2024-03-13) => PAY-2 PAY-5 OPS-1 OPS-2 PAY-10 CHK-3 CHK-1
# text: word matching, any case, stop words ignored
summary ~ login => PAY-1 PAY-10
summary ~ LOGIN => PAY-1 PAY-10
summary ~ "refund" => PAY-2 PAY-3
summary ~ "refund error" => PAY-3
summary ~ "\"rounding error\"" => PAY-3
summary ~ "\"error rounding\"" => -
summary ~ "pay*" => PAY-5 CHK-2
summary !~ login => PAY-2 PAY-3 PAY-5 CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3 LEDG-1
NOT summary ~ login => PAY-2 PAY-3 PAY-5 CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3 LEDG-1
description ~ checkout => CHK-1
description ~ "search-indexer" => CHK-3
description is EMPTY => PAY-2 PAY-10
description !~ database => PAY-1 PAY-3 CHK-1 PAY-5 LEDG-1 CHK-2 OPS-2 CHK-3 OPS-3
text ~ checkout => CHK-1
text ~ "widget card" => CHK-2
text ~ "login update" => PAY-1
summary ~ "the alerts" => OPS-3
text ~ database => OPS-1
summary ~ "eu-west" => OPS-1
summary ~ "Díaz" => -
# combinations, the seed's default query, NOT pushed down as Jira does
statusCategory in ("To Do", "In Progress") AND (component = payments-api OR labels = payments-api OR project = payments-api) => PAY-1 PAY-2 PAY-5 CHK-2
statusCategory in ("To Do", "In Progress") AND (component = Checkout OR labels = Checkout OR project = Checkout) => CHK-1 CHK-2 CHK-3
project = PAY AND status != Done => PAY-1 PAY-2 PAY-5 PAY-10
project = PAY OR labels = ops => PAY-1 PAY-2 PAY-3 PAY-5 PAY-10 OPS-2
NOT (project = PAY OR labels = incident) => CHK-1 LEDG-1 CHK-2 OPS-2 CHK-3
NOT (project = PAY AND priority = High) => CHK-1 CHK-2 CHK-3 OPS-1 OPS-2 OPS-3 LEDG-1 PAY-2 PAY-5 PAY-10
labels = incident OR component = Web OR project = LEDG => PAY-5 OPS-1 CHK-1 CHK-2 LEDG-1
(labels = incident OR component = Web) AND priority is EMPTY => OPS-1
project = PAY AND NOT labels = payments-api => PAY-10
assignee = alice OR reporter = alice => PAY-1 CHK-1 CHK-2 PAY-2 PAY-3 LEDG-1 PAY-10
NOT NOT project = OPS => OPS-1 OPS-2 OPS-3
project = CHK ORDER BY created DESC => CHK-1 CHK-2 CHK-3
statusCategory = Done AND resolved >= startOfMonth() => PAY-3 OPS-1
labels in (payments-api) AND labels not in (security) => PAY-2 PAY-5
component = Payments AND component = API => PAY-3
key in (PAY-1, PAY-2) OR key = CHK-1 => PAY-1 PAY-2 CHK-1
parent = PAY-1 OR key = PAY-1 => PAY-1 PAY-10
ORDER BY key => *
project = OPS || labels = ledger => OPS-1 OPS-2 OPS-3 LEDG-1
project = OPS && !(labels = incident) => OPS-2
labels = incident OR NOT labels is EMPTY AND project = OPS => PAY-5 OPS-1 OPS-2
NOT (labels in (EMPTY, incident)) => PAY-1 PAY-2 CHK-1 LEDG-1 CHK-2 OPS-2 PAY-10 CHK-3
# OR of negated multi-valued clauses (counted from the index tables alone)
labels != payments-api OR component = Payments => CHK-1 OPS-1 LEDG-1 CHK-2 OPS-2 PAY-10 CHK-3 PAY-1 PAY-3 PAY-5
NOT (labels = payments-api AND component = Payments) => CHK-1 OPS-1 LEDG-1 CHK-2 OPS-2 PAY-10 CHK-3
fixVersion != "1.0" OR component not in (Web, Payments) => LEDG-1 OPS-2
labels not in (incident, ledger) OR project = LEDG => PAY-1 PAY-2 CHK-1 CHK-2 OPS-2 PAY-10 CHK-3 LEDG-1
"""


def cases() -> list[tuple[str, frozenset[str] | None]]:
    """``(jql, keys)``; keys None means every issue of the data set."""
    found: list[tuple[str, frozenset[str] | None]] = []
    for line in _TABLE.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        jql, _, keys = line.rpartition(" => ")
        keys = keys.strip()
        if keys == "*":
            found.append((jql.strip(), None))
        else:
            found.append((jql.strip(), frozenset() if keys == "-" else frozenset(keys.split())))
    return found
