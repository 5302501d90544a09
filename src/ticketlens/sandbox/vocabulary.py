"""The words the generated data uses: projects, components, labels and people.

They line up with ``examples/catalog/``: every automatic tag appears as a label, the
override values (``LEDG``, ``ledger``, ``billing``, ``Identity``, ``IAM``, ``MOB``, ``Mobile``,
``Orders``, ``SHIP``, ``fraud``, ``risk``) exist, and ``search-indexer`` has three near-misses
(a case difference, a typo and a trailing space) so that explain has something to find.
"""

from __future__ import annotations

# (key, name, components, fix versions)
PROJECTS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("PAY", "Payments", ("payments-api", "Refunds", "Fraud"), ("2.3", "2.4", "3.0")),
    ("CHK", "Checkout", ("checkout-web", "Cart"), ("1.8", "1.9")),
    ("LEDG", "Ledger", ("Ledger Core", "Reconciliation"), ("5.0", "5.1")),
    ("SHIP", "Shipping", ("Carriers", "Tracking"), ("0.9", "1.0")),
    ("INV", "Inventory", ("inventory-api", "Warehouse"), ("4.2", "4.3")),
    ("ORD", "Orders", ("Orders", "Fulfilment"), ("3.1", "3.2")),
    ("PLAT", "Platform", ("search-indexer", "Kubernetes", "CI"), ("2026.1", "2026.2")),
    ("IAM", "Identity and Access", ("Identity", "SSO"), ("1.4", "1.5")),
    ("MOB", "Mobile", ("Mobile", "iOS", "Android"), ("7.0", "7.1")),
    ("OPS", "Operations", ("On-call", "Monitoring"), ()),
)

# Relative weights of projects in generated data.
PROJECT_WEIGHTS = (14, 10, 8, 7, 9, 9, 12, 8, 8, 15)

# Labels each project's issues tend to carry, plus labels any issue can carry.
PROJECT_LABELS: dict[str, tuple[str, ...]] = {
    "PAY": ("payments-api", "billing", "billing-worker", "fraud"),
    "CHK": ("checkout-web", "customer-facing"),
    "LEDG": ("ledger", "billing"),
    "SHIP": ("shipping", "notifications"),
    "INV": ("inventory-api",),
    "ORD": ("orders", "events-bus"),
    "PLAT": ("platform", "search-indexer", "events-bus"),
    "IAM": ("security", "identity"),
    "MOB": ("mobile", "customer-facing", "notifications"),
    "OPS": ("incident", "platform", "notifications"),
}
COMMON_LABELS = ("security", "customer-facing", "tech-debt", "performance", "risk", "fraud")
NEAR_MISS_LABELS = ("Search-Indexer", "search-indexr", "search-indexer ")

# (name, display name): the people issues are assigned to and reported by.
PEOPLE: tuple[tuple[str, str], ...] = (
    ("alice", "Alice Moreau"),
    ("bob", "Bob Okafor"),
    ("carol", "Carol Lindqvist"),
    ("dave", "Dave Nakamura"),
    ("erin", "Erin Castillo"),
    ("frank", "Frank Osei"),
    ("grace", "Grace Kowalski"),
    ("heidi", "Heidi Brandt"),
)

# The viewer may browse these projects only.
VIEWER_PROJECTS = frozenset({"PAY", "CHK", "INV", "OPS"})

SUBJECTS = (
    "payment retries",
    "checkout button",
    "ledger export",
    "label printing",
    "stock levels",
    "order webhook",
    "search index rebuild",
    "login page",
    "push notifications",
    "on-call rota",
    "refund flow",
    "cart totals",
    "currency rounding",
    "SSO callback",
    "Android build",
    "carrier rates",
)
PROBLEMS = (
    "times out under load",
    "returns a 500",
    "shows stale data",
    "is slow on large accounts",
    "double-counts items",
    "ignores the time zone",
    "fails after deploy",
    "leaks memory",
    "needs a retry policy",
    "should be configurable",
    "misses an audit log",
    "breaks on empty input",
)
VERBS = ("Fix", "Investigate", "Improve", "Add metrics for", "Refactor", "Document")
