"""Hand-shaped request families for the compiled-reads differential test: aliases, fragments,
directives, variables, transports, the reference documents frontends send, and inputs that must
fail. The parts that vary (types, orders, selections) still come from the schema."""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

import orjson

from app.core.ids import encode_global_id
from app.graphql.cursors import encode_cursor

from helpers.differential.checks import (
    APPLIED,
    PAGE_INFO,
    Case,
    connection_node,
    connections,
    order_values,
    quote,
    select,
)
from helpers.reference import reference_document

if TYPE_CHECKING:
    from helpers.differential.documents import Documents

REFERENCE = reference_document()
SYNC_STATUS = """{ syncStatus { vendor resource baseUrl scheduleId intervalSeconds enabled status
  pages records created updated unchanged rejected failures lastError startedAt finishedAt
  nextRunAt leaseExpiresAt } }"""


def documents(gen: Documents) -> list[Case]:
    return [
        *aliases(gen),
        *fragments(gen),
        *directives(gen),
        *variables(gen),
        *reference_cases(gen),
        *transport(gen),
    ]


def aliases(gen: Documents) -> list[Case]:
    cases = [
        Case(
            "aliases/calls",
            "{ a: calls(first: 2) { nodes { id } } b: calls(first: 3, orderBy: DURATION_DESC) "
            "{ nodes { x: id y: durationSeconds z: number { w: e164 } } } }",
        ),
        Case(
            "aliases/merged",
            "{ calls(first: 2) { nodes { id } } calls(first: 2) { totalCount nodes { startedAt id } } }",
        ),
        Case(
            "aliases/swapped-names", "{ calls(first: 2) { nodes { startedAt: id id: startedAt } } }"
        ),
    ]
    for root, field_ in gen.roots:
        orders = order_values(field_)
        cases.append(
            Case(
                f"aliases/{root}",
                f"{{ one: {root}(first: 2) {{ n: nodes {{ i: id }} }} two: {root}(last: 2, orderBy: {orders[-1]}) "
                f"{{ total: totalCount e: edges {{ c: cursor }} p: pageInfo {{ more: hasNextPage }} }} }}",
            )
        )
        for child, child_field in connections(connection_node(field_)):
            child_orders = order_values(child_field)
            cases.append(
                Case(
                    f"aliases/{root}.{child}",
                    f"{{ {root}(first: 3) {{ nodes {{ id a: {child}(first: 2) {{ totalCount nodes {{ id }} }} "
                    f"b: {child}(last: 2, orderBy: {child_orders[-1]}) {{ nodes {{ id }} {PAGE_INFO} }} }} }} }}",
                )
            )
    return cases


def fragments(gen: Documents) -> list[Case]:
    cases = [
        Case(
            "fragments/nested",
            "fragment CallBits on Call { id startedAt number { ...NumberBits } } "
            "fragment NumberBits on Number { e164 vendors company { ...CompanyBits } } "
            "fragment CompanyBits on Company { name timeZone } "
            "{ calls(first: 3) { nodes { ...CallBits } edges { node { ...CallBits ... on Call { disposition } } } } }",
        ),
        Case(
            "fragments/on-connection",
            "fragment Page on CallConnection { totalCount pageInfo { endCursor hasNextPage } } "
            "{ calls(first: 2) { ...Page nodes { id } } }",
        ),
        Case(
            "fragments/untyped-inline",
            "{ calls(first: 2) { nodes { ... { id } ... @include(if: true) { startedAt } "
            "... @skip(if: true) { notes } } } }",
        ),
        Case(
            "fragments/typename-everywhere",
            "{ __typename calls(first: 2) { __typename pageInfo { __typename } appliedRanges { __typename } "
            "edges { __typename node { __typename attribution { __typename } survey { __typename } "
            "number { __typename company { __typename } } } } } }",
        ),
    ]
    for root, field_ in gen.roots:
        node = connection_node(field_)
        cases.append(
            Case(
                f"fragments/{root}",
                f"fragment Bits on {node.name} {{ {select(node, 1)} }} "
                f"{{ {root}(first: 3) {{ edges {{ node {{ ...Bits }} }} "
                f"nodes {{ id ... on {node.name} {{ ...Bits }} }} }} }}",
            )
        )
    return cases


def directives(gen: Documents) -> list[Case]:
    document = (
        "fragment Extra on Call { callerCity promptKeys } "
        "query($v: Boolean!, $w: Boolean!) { calls(first: 3) { totalCount @include(if: $v) nodes { id "
        "startedAt @skip(if: $w) caller @include(if: $v) { e164 } number @skip(if: $v) { e164 } "
        "...Extra @include(if: $w) ... on Call @skip(if: $w) { disposition } "
        "durationSeconds @include(if: $v) @skip(if: $w) } } "
        "companies(first: 2) @include(if: $w) { nodes { name calls(first: 1) @skip(if: $v) { nodes { id } } } } }"
    )
    cases = [
        Case(f"directives/v={v}/w={w}", document, variables={"v": v, "w": w})
        for v in (True, False)
        for w in (True, False)
    ]
    cases.append(
        Case(
            "directives/literal",
            "{ a: calls(first: 1) @include(if: false) { totalCount } "
            "b: calls(first: 1) @skip(if: false) { totalCount } }",
        )
    )
    return cases


def variables(gen: Documents) -> list[Case]:
    document = (
        "query($f: CallFilter, $n: Int, $after: String, $o: CallOrder! = DURATION_DESC) "
        "{ calls(filter: $f, first: $n, after: $after, orderBy: $o) "
        f"{{ totalCount {PAGE_INFO} {APPLIED} edges {{ cursor node {{ id durationSeconds }} }} }} }}"
    )

    def after(body: dict[str, Any]) -> list[Case]:
        cursor = body["data"]["calls"]["pageInfo"]["endCursor"]
        return (
            [Case("variables/after", document, variables={"n": 4, "after": cursor})]
            if cursor
            else []
        )

    label_document = (
        "query($n: Int!, $label: DateRangeLabel, $zone: String) { companies { nodes { name "
        "calls(first: $n, filter: { startedAt: { label: $label, timeZone: $zone } }) "
        f"{{ totalCount {APPLIED} }} }} }} }}"
    )
    return [
        Case("variables/defaults", document, variables={}),
        Case(
            "variables/given",
            document,
            variables={"f": {"dispositions": ["ANSWERED"]}, "n": 4},
            follow=after,
        ),
        Case("variables/order", document, variables={"o": "STARTED_AT_ASC", "n": 2}),
        Case("variables/nulls", document, variables={"f": None, "n": None, "after": None}),
        Case(
            "variables/in-lists",
            "query($d: CallDisposition!) { calls(first: 3, filter: { dispositions: [$d, IVR] }) "
            "{ totalCount nodes { disposition } } }",
            variables={"d": "BUSY"},
        ),
        Case("variables/nested-label", label_document, variables={"n": 2, "label": "THIS_WEEK"}),
        Case(
            "variables/nested-label-zone",
            label_document,
            variables={"n": 2, "label": "TODAY", "zone": "UTC"},
        ),
        Case(
            "variables/unused-extra",
            "query($n: Int) { calls(first: $n) { totalCount } }",
            variables={"n": 1, "zz": 3},
        ),
    ]


def transport(gen: Documents) -> list[Case]:
    import hashlib

    query = "{ calls(first: 2) { totalCount nodes { id } } }"
    persisted = {
        "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}
    }
    return [
        Case("transport/get", query, method="GET"),
        Case(
            "transport/get-variables",
            "query($n: Int) { calls(first: $n) { nodes { id } } }",
            variables={"n": 2},
            method="GET",
        ),
        Case("transport/persisted-miss", None, extensions=persisted, refusal_ok=True),
        Case("transport/persisted-register", query, extensions=persisted),
        Case("transport/persisted-hit", None, extensions=persisted),
        Case(
            "transport/operation-name",
            "query A { calls(first: 1) { nodes { id } } } query B { leads(first: 1) { nodes { id } } }",
            operation="B",
        ),
        Case(
            "transport/introspection",
            '{ __schema { queryType { name } } __type(name: "Call") { name fields { name } } }',
        ),
    ]


def reference_cases(gen: Documents) -> list[Case]:
    """Every operation in ../shared/reference-queries.graphql, with variables from the dataset;
    Q2 (page 200 of the call log) is the page after the 199th call's cursor."""
    data = gen.data
    busiest = data.companies[0]

    def next_page(body: dict[str, Any]) -> list[Case]:
        cursor = body["data"]["calls"]["pageInfo"]["endCursor"]
        if not cursor:
            return []
        return [
            Case(
                "reference/CallLog/next",
                REFERENCE,
                {"company": busiest, "first": 5, "after": cursor},
                "CallLog",
            )
        ]

    def page_200(body: dict[str, Any]) -> list[Case]:
        edges = body["data"]["calls"]["edges"]
        after = edges[min(199, len(edges) - 1)]["cursor"]
        return [
            Case(
                "reference/CallLog/page-200",
                REFERENCE,
                {"company": busiest, "first": 1, "after": after},
                "CallLog",
            )
        ]

    cases = []
    for index, company in enumerate([*data.companies, data.picks["zephyr"]]):
        cases += [
            Case(f"reference/CallLog/{index}", REFERENCE, {"company": company}, "CallLog"),
            Case(
                f"reference/MissedCallsThisWeek/{index}",
                REFERENCE,
                {"company": company},
                "MissedCallsThisWeek",
            ),
            Case(f"reference/Company/{index}", REFERENCE, {"id": company}, "Company"),
        ]
    refetch = [
        data.ids["Call"][0],
        data.ids["Number"][0],
        data.ids["Lead"][0],
        data.picks["rich_call"],
        data.picks["sparse_lead"],
        data.companies[0],
        data.other["Call"],
        encode_global_id("Call", 987654),
    ]
    cases += [
        Case(
            "reference/CallLog/first-5",
            REFERENCE,
            {"company": busiest, "first": 5},
            "CallLog",
            follow=next_page,
        ),
        Case(
            "reference/CallLog/to-page-200",
            "query($company: ID!) { calls(first: 250, filter: { companies: [$company] }) { edges { cursor } } }",
            {"company": busiest},
            follow=page_200,
        ),
        Case("reference/DailyDashboard", REFERENCE, {"company": busiest}, "DailyDashboard"),
        Case("reference/SourceLeaderboard", REFERENCE, {"company": busiest}, "SourceLeaderboard"),
        Case("syncStatus", SYNC_STATUS),
        Case("reference/Numbers", REFERENCE, {}, "Numbers"),
        Case("reference/Numbers/first-5", REFERENCE, {"first": 5}, "Numbers"),
        Case("reference/LeadGrid", REFERENCE, {}, "LeadGrid"),
        Case("reference/LeadGrid/first-3", REFERENCE, {"first": 3}, "LeadGrid"),
        Case("reference/Refetch", REFERENCE, {"ids": refetch}, "Refetch"),
        Case(
            "reference/Company/not-a-company", REFERENCE, {"id": data.picks["rich_call"]}, "Company"
        ),
    ]
    return cases


def _raw_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


def bad_inputs(gen: Documents) -> list[Case]:
    """Inputs both paths must refuse with the same errors (and the same partial data)."""
    cases = []
    for root, field_ in gen.roots:
        node, orders = connection_node(field_), order_values(field_)
        bad = {
            "first-negative": "first: -1",
            "first-300": "first: 300",
            "last-251": "last: 251",
            "first-and-last": "first: 2, last: 2",
            "after-malformed": 'after: "nope"',
            "before-malformed": 'before: "%%%"',
            "after-not-a-list": f"after: {quote(_raw_cursor('hello'))}",
            "after-other-order": f"after: {quote(encode_cursor(issuer=f'{node.name}:{orders[-1]}', value=1, pk=1))}",
            "after-other-type": f"after: {quote(encode_cursor(issuer='Nothing:NAME_ASC', value='x', pk=1))}",
            "after-unknown-value": f"after: {quote(_raw_cursor([f'{node.name}:{orders[0]}', {'x': 1}, 1]))}",
            "after-pk-text": f"after: {quote(_raw_cursor([f'{node.name}:{orders[0]}', None, 'one']))}",
        }
        if root != "calls":  # the same checks on every list; the rest once, on calls
            bad = {
                k: bad[k]
                for k in ("first-300", "first-and-last", "after-malformed", "after-other-order")
            }
        cases += [
            Case(
                f"bad/{root}/{label}",
                f"{{ ok: {root}(first: 1) {{ totalCount }} bad: {root}({args}) {{ nodes {{ id }} }} }}",
            )
            for label, args in bad.items()
        ]
        for child, _ in connections(node)[:1]:
            cases += [
                Case(
                    f"bad/{root}.{child}/after-malformed",
                    f'{{ {root}(first: 3) {{ nodes {{ id {child}(after: "nope") {{ nodes {{ id }} }} }} }} }}',
                ),
                Case(
                    f"bad/{root}.{child}/first-and-last",
                    f"{{ {root}(first: 3) {{ nodes {{ id {child}(first: 1, last: 1) {{ totalCount }} }} }} }}",
                ),
                Case(
                    f"bad/{root}.{child}/first-300",
                    f"{{ {root}(first: 3) {{ nodes {{ id {child}(first: 300) {{ totalCount }} }} }} }}",
                ),
            ]
    filter_document = (
        "query($f: CallFilter) { calls(first: 2, filter: $f) { totalCount nodes { id } } }"
    )
    cases += [
        Case(f"bad/variables/{label}", filter_document, {"f": value})
        for label, value in {
            "enum": {"dispositions": ["MAYBE"]},
            "datetime": {"startedAt": {"from": "yesterday-ish"}},
            "phone": {"caller": "call me"},
            "unknown-field": {"nope": 1},
            "id-type": {"companies": [1.5]},
            "label": {"startedAt": {"label": "SOMETIME"}},
        }.items()
    ]
    first_document = "query($n: Int) { calls(first: $n) { totalCount } }"
    cases += [
        Case(
            "bad/variables/order-enum",
            "query($o: CallOrder!) { calls(orderBy: $o, first: 1) { totalCount } }",
            {"o": "SIDEWAYS"},
        ),
        Case("bad/variables/int-text", first_document, {"n": "ten"}),
        Case("bad/variables/int-float", first_document, {"n": 2.5}),
        Case("bad/variables/int-huge", first_document, {"n": 2**40}),
        Case("bad/variables/missing-required", "query($id: ID!) { node(id: $id) { id } }", {}),
        Case(
            "bad/variables/null-required", "query($id: ID!) { node(id: $id) { id } }", {"id": None}
        ),
        Case(
            "bad/variables/wrong-declared-type",
            "query($n: String) { calls(first: $n) { totalCount } }",
            {"n": "1"},
        ),
    ]
    too_deep = (
        "{ companies { nodes { sources { nodes { numbers { nodes { calls { nodes { caller "
        "{ leads { nodes { calls { nodes { id } } } } } } } } } } } } } }"
    )
    many_aliases = " ".join(f"a{i}: calls(first: 1) {{ totalCount }}" for i in range(31))
    call = select(gen.type("Call"), 2)
    broken = {
        "syntax": "{ calls(first: 1 { nodes { id } } }",
        "unknown-field": "{ calls(first: 1) { nodes { nope } } }",
        "unknown-argument": "{ calls(sideways: true) { totalCount } }",
        "no-selection": "{ calls }",
        "leaf-selection": "{ calls(first: 1) { totalCount { x } } }",
        "fragment-type": "fragment F on Lead { id } { calls(first: 1) { nodes { ...F } } }",
        "undefined-variable": "{ calls(first: $n) { totalCount } }",
        "string-for-int": '{ calls(first: "3") { totalCount } }',
        "string-for-enum": '{ calls(orderBy: "DURATION_ASC") { totalCount } }',
        "mutation": "mutation { x }",
        "subscription": "subscription { x }",
        "two-anonymous": "{ calls(first: 1) { totalCount } } { leads(first: 1) { totalCount } }",
        "empty": "",
        "too-deep": too_deep,
        "too-many-aliases": f"{{ {many_aliases} }}",
        "too-costly": f"{{ calls(first: 250) {{ nodes {{ {call} }} edges {{ node {{ {call} }} }} }} }}",
        "too-many-tokens": "{ calls(first: 1) { nodes { " + "id " * 5100 + "} } }",
        "nodes-required-argument": "{ node { id } }",
    }
    cases += [Case(f"bad/document/{label}", query) for label, query in broken.items()]
    two = "query A { calls(first: 1) { totalCount } } query B { leads(first: 1) { totalCount } }"
    query = "{ calls(first: 1) { totalCount } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    cases += [
        Case("bad/operation/none-named", two),
        Case("bad/operation/unknown", two, operation="C"),
        Case("bad/request/no-query", None),
        Case("bad/request/get-mutation", "mutation { x }", method="GET"),
        Case(
            "bad/persisted/version",
            None,
            extensions={"persistedQuery": {"version": 2, "sha256Hash": digest}},
        ),
        Case(
            "bad/persisted/hash",
            None,
            extensions={"persistedQuery": {"version": 1, "sha256Hash": "xyz"}},
        ),
        Case(
            "bad/persisted/mismatch",
            query,
            extensions={"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}},
        ),
        Case("bad/key/none", query, key="none"),
        Case("bad/key/bogus", query, key="bogus"),
        Case("bad/key/none-syntax", "{ calls(", key="none"),
        Case(
            "bad/key/narrow-applied-ranges",
            "{ calls(first: 1, filter: { startedAt: { label: TODAY } }) "
            f"{{ totalCount {APPLIED} {PAGE_INFO} }} }}",
            key="narrow",
        ),
    ]
    for case in cases:
        case.refusal_ok = True
    return cases
