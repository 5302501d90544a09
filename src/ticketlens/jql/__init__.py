r"""JQL: the AST, a parser, a canonical printer and safe builders. Pure: no I/O.

>>> q = parse('project = PAY AND labels in ("payments-api", security) ORDER BY created DESC')
>>> to_jql(q)
'project = PAY AND labels IN (payments-api, security) ORDER BY created DESC'
>>> print(to_jql(field_eq("labels", 'x" OR project = "y')))
labels = "x\" OR project = \"y"
"""

from ticketlens.jql.ast import (
    And,
    Clause,
    CustomField,
    Empty,
    Field,
    FieldRef,
    FunctionCall,
    HistoryPredicate,
    Not,
    Operand,
    Operator,
    Or,
    OrderItem,
    PropertyField,
    Query,
    Span,
    Terminal,
    Value,
    ValueList,
)
from ticketlens.jql.builders import (
    and_,
    field,
    field_eq,
    field_in,
    not_,
    or_,
    order_by,
    query,
    value,
)
from ticketlens.jql.errors import JQLBuildError, JQLError, JQLSyntaxError
from ticketlens.jql.parser import parse
from ticketlens.jql.printer import to_jql

__all__ = [
    "And",
    "Clause",
    "CustomField",
    "Empty",
    "Field",
    "FieldRef",
    "FunctionCall",
    "HistoryPredicate",
    "JQLBuildError",
    "JQLError",
    "JQLSyntaxError",
    "Not",
    "Operand",
    "Operator",
    "Or",
    "OrderItem",
    "PropertyField",
    "Query",
    "Span",
    "Terminal",
    "Value",
    "ValueList",
    "and_",
    "field",
    "field_eq",
    "field_in",
    "not_",
    "or_",
    "order_by",
    "parse",
    "query",
    "to_jql",
    "value",
]
