"""Documents for the compiled-reads differential test, generated from the GraphQL schema and
filled with values read from the dataset (ids, phone numbers, strings, cursors returned by a
previous answer). Each family is a method returning Cases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import phonenumbers
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    parse,
)

from app.core.ids import encode_global_id

import helpers.differential.requests as requests
from helpers.differential.checks import (
    APPLIED,
    PAGE_INFO,
    Case,
    arguments,
    connection_node,
    connection_selection,
    connections,
    leaves,
    literal,
    nullable,
    order_values,
    quote,
    select,
    stats_selection,
    to_ones,
    unwrap,
)

# Filter fields whose values are read from a column of the dataset.
COLUMNS = {
    ("CallFilter", "caller"): ("caller", "e164"),
    ("CallFilter", "dialled"): ("call", "dialled_e164"),
    ("CallFilter", "endpoints"): ("call", "endpoint_e164"),
    ("CallFilter", "externalIds"): ("call", "external_id"),
    ("CallFilter", "search"): ("call", "caller_city"),
    ("AttributionFilter", "sources"): ("call", "attribution_source"),
    ("AttributionFilter", "mediums"): ("call", "attribution_medium"),
    ("AttributionFilter", "campaigns"): ("call", "attribution_campaign"),
    ("AttributionFilter", "contents"): ("call", "attribution_content"),
    ("NumberFilter", "e164"): ("number", "e164"),
    ("NumberFilter", "providers"): ("number", "provider"),
    ("NumberFilter", "assignedAgentIds"): ("number", "assigned_agent_id"),
    ("NumberFilter", "countryCodes"): ("number", "country_code"),
    ("NumberFilter", "search"): ("number", "friendly_name"),
    ("SourceFilter", "search"): ("source", "name"),
    ("CompanyFilter", "search"): ("company", "name"),
    ("CallerFilter", "e164"): ("caller", "e164"),
    ("LeadFilter", "search"): ("lead", "name"),
    ("LeadFilter", "offerIds"): ("lead", "offer_id"),
    ("LeadFilter", "scheduleIds"): ("lead", "schedule_id"),
    ("LeadFilter", "contactIds"): ("lead", "contact_id"),
    ("LeadFilter", "trafficSourceIds"): ("lead", "traffic_source_id"),
    ("LeadFilter", "buyerIds"): ("lead", "buyer_id"),
    ("LeadFilter", "statuses"): ("lead", "status"),
    ("LeadFilter", "statusWait"): ("lead", "status_wait"),
    ("LeadFilter", "caller"): ("lead", "caller_number"),
    ("LeadFilter", "email"): ("lead", "email"),
}
ID_FILTERS = {"companies": "Company", "sources": "Source", "numbers": "Number"}
# VendorIdInput filter fields and the table whose (vendor, external_id, vendor_account_id) they match.
VENDOR_ID_FILTERS = {
    ("CompanyFilter", "vendorIds"): "company_link",
    ("NumberFilter", "vendorIds"): "number_link",
    ("SourceFilter", "vendorIds"): "source",
    ("CallFilter", "companyVendorIds"): "company_link",
    ("CallFilter", "sourceVendorIds"): "source",
}
ZONED_LABELS = (
    "TODAY",
    "YESTERDAY",
    "THIS_WEEK",
    "LAST_WEEK",
    "THIS_MONTH",
    "LAST_6_MONTHS",
    "LAST_HOUR",
    "LIFETIME",
)
NESTED_LABELS = ("TODAY", "YESTERDAY", "THIS_WEEK", "LAST_MONTH", "LAST_6_MONTHS", "LIFETIME")
# Under parents other than companies, only these values (the parent's company sets the scope).
PARENT_SCOPED = ("=TODAY", "=THIS_WEEK", "=local-from-to", "=national")
ZONES = ("Australia/Sydney", "Asia/Kathmandu", "America/New_York")
NODE_TYPES = ("Company", "Source", "Number", "Call", "Lead", "Caller")


@dataclass
class Dataset:
    """What the generator needs to know about the seeded data (all ids are global ids)."""

    ids: dict[str, list[str]]  # type -> the demo account's ids, in primary-key order
    picks: dict[str, str]  # named rows (rich_call, sparse_lead, ...) -> id
    companies: list[str]  # demo company ids, busiest first
    values: dict[tuple[str, str], list[Any]]  # (table, column) -> values, commonest first
    other: dict[str, str]  # another account's id per type
    mangled: dict[str, str]  # ids in the account whose rows hold unreadable values
    instant: str  # a call's exact start, with microseconds
    # VENDOR_ID_FILTERS' tables -> a few rows as VendorIdInput values (account ids first)
    vendor_ids: dict[str, list[dict[str, Any]]]


class Documents:
    def __init__(self, schema: GraphQLSchema, data: Dataset) -> None:
        self.schema, self.data = schema, data
        assert schema.query_type is not None
        self.query: GraphQLObjectType = schema.query_type
        self.roots = connections(self.query)
        self.used_inputs: set[tuple[str, str]] = set()
        # Every DateRange value is tried on one date filter (the first a root list has); the
        # others get the labels and bounds whose meaning depends on where they are used.
        self.full_dates = next(
            (filter_type.name, name)
            for _, field_ in self.roots
            if (filter_type := unwrap(field_.args["filter"].type))
            for name, input_field in filter_type.fields.items()
            if unwrap(input_field.type).name == "DateRange"
        )

    def type(self, name: str) -> GraphQLObjectType:
        found = self.schema.get_type(name)
        assert isinstance(found, GraphQLObjectType)
        return found

    def families(self) -> dict[str, Callable[[], list[Case]]]:
        return {
            "shapes": self.shapes,
            "paging": self.paging,
            "nested-paging": self.nested_paging,
            "filters": self.filters,
            "nested-filters": self.nested_filters,
            "nodes": self.nodes,
            "documents": self.documents,
            "bad-inputs": self.bad_inputs,
            "scopes": self.scopes,
            "stats": self.stats,
        }

    # --- stats: callStats and leadStats, root and nested, every dimension and interval -------

    def stats(self) -> list[Case]:
        query = self.schema.query_type
        assert query is not None
        cases = []
        ranges = {"callStats": "startedAt", "leadStats": "createdAt"}
        for name, date_field in ranges.items():
            field_ = query.fields[name]
            everything = stats_selection(unwrap(field_.type))
            bounded = f"filter: {{ {date_field}: {{ label: LAST_YEAR }} }}"
            cases.append(Case(f"{name}/plain", f"{{ {name} {{ {everything} }} }}"))
            dimensions = unwrap(field_.args["groupBy"].type)
            for dimension in dimensions.values:
                document = f"{{ {name}(groupBy: [{dimension}], first: 5) {{ {everything} }} }}"
                cases.append(Case(f"{name}/group-{dimension}", document))
            for interval in ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR"):
                document = f"{{ {name}({bounded}, interval: {interval}) {{ {everything} }} }}"
                cases.append(Case(f"{name}/interval-{interval}", document))
            for parent, parent_field in self.roots:
                node = connection_node(parent_field)
                if name in node.fields:
                    inner = f"{name}(groupBy: [{next(iter(dimensions.values))}]) {{ {everything} }}"
                    document = f"{{ {parent}(first: 3) {{ nodes {{ id {inner} }} }} }}"
                    cases.append(Case(f"{parent}.{name}", document))
        return cases + self._stats_documents()

    def _stats_documents(self) -> list[Case]:
        """Aliases, fragments, nodes selected twice or not grouped by, stats beside a list,
        and arguments the general path refuses."""
        year = "filter: { startedAt: { label: LAST_YEAR } }"
        documents = {
            "aliases": """{ a: callStats(groupBy: [SOURCE]) { rows { s1: source { id }
                s2: source { name company { name timeZone } } metrics { calls answerRate } } }
                b: leadStats(groupBy: [SOURCE, COMPANY], first: 3, orderBy: PROFIT_DESC) {
                totals { leads revenue profit } rows { company { id } source { id } } } }""",
            "fragments": f"""fragment M on CallMetrics {{ calls averageDurationSeconds }}
                {{ callStats(groupBy: [DISPOSITION], {year}, interval: MONTH) {{
                __typename interval timeZone appliedRanges {{ field from to label timeZone }}
                totals {{ ...M }} rows {{ ... on CallStatsRow {{ __typename disposition
                bucket {{ start from to }} metrics {{ ...M }} }} }} }} }}""",
            "nodes-not-grouped": """{ callStats(groupBy: [DISPOSITION]) {
                rows { disposition source { id } company { name } number { e164 } } } }""",
            "beside-a-list": """{ calls(first: 2) { nodes { id } }
                callStats(groupBy: [COMPANY, CALLER_TYPE], orderBy: KEY_ASC) {
                rows { company { id name } callerType metrics { calls distinctCallers } } } }""",
            "key-order": f"""{{ callStats({year}, groupBy: [HOUR_OF_DAY], orderBy: KEY_DESC,
                first: 5) {{ rows {{ hourOfDay metrics {{ calls }} }} }} }}""",
            "too-fine": f"""{{ callStats({year}, groupBy: [HOUR_OF_DAY], interval: HOUR) {{
                rows {{ hourOfDay }} }} }}""",
            "unbounded-interval": "{ leadStats(interval: DAY) { rows { metrics { leads } } } }",
        }
        return [Case(f"stats/{name}", document) for name, document in documents.items()]

    # --- shapes: every field of every reachable type ---------------------------------------

    def shapes(self) -> list[Case]:
        cases = []
        for root, field_ in self.roots:
            node = connection_node(field_)
            full = connection_selection(select(node, 3, typename=True), typename=True)
            cases += [
                Case(f"{root}/full", f"{{ __typename {root}(first: 4) {{ {full} }} }}"),
                Case(
                    f"{root}/default-page",
                    f"{{ {root} {{ totalCount {PAGE_INFO} nodes {{ id }} }} }}",
                ),
                Case(
                    f"{root}/first-0",
                    f"{{ {root}(first: 0) {{ totalCount {PAGE_INFO} edges {{ cursor }} nodes {{ id }} }} }}",
                ),
                Case(
                    f"{root}/first-250",
                    f"{{ {root}(first: 250) {{ {PAGE_INFO} edges {{ cursor node {{ id }} }} }} }}",
                ),
            ]
            cases.append(self._every_row(root, node))
            cases += self._nested_shapes(root, node)
        return cases

    def _every_row(self, root: str, node: GraphQLObjectType) -> Case:
        """Every row's leaves (and its relations' ids), page after page to the end."""
        relations = [
            f"{one} {{ {'id' if 'id' in target.fields else select(target, 0)} }}"
            for one, target in to_ones(node)
        ]
        selection = " ".join([select(node, 0), *relations])

        def page(after: str | None, number: int) -> Case:
            cursor = f", after: {quote(after)}" if after else ""
            document = f"{{ {root}(first: 200{cursor}) {{ {PAGE_INFO} nodes {{ {selection} }} }} }}"

            def follow(body: dict[str, Any]) -> list[Case]:
                info = body["data"][root]["pageInfo"]
                return [page(info["endCursor"], number + 1)] if info["hasNextPage"] else []

            return Case(f"{root}/every-row/page-{number}", document, follow=follow)

        return page(None, 1)

    def _nested_shapes(self, root: str, node: GraphQLObjectType) -> list[Case]:
        cases = []
        nested = connections(node)
        for child, child_field in nested:
            child_node = connection_node(child_field)
            inner = connection_selection(select(child_node, 2))
            cases.append(
                Case(
                    f"{root}.{child}/full",
                    f"{{ {root}(first: 3) {{ nodes {{ id {child}(first: 3) {{ {inner} }} }} }} }}",
                )
            )
            cases.append(
                Case(
                    f"{root}.{child}/last-under-edges",
                    f"{{ {root}(last: 3) {{ edges {{ cursor node {{ id {child}(last: 2) "
                    f"{{ totalCount {PAGE_INFO} nodes {{ id }} }} }} }} }} }}",
                )
            )
            reached = [
                f"{one} {{ id {conns[0][0]}(first: 2) {{ totalCount nodes {{ id }} }} }}"
                for one, target in to_ones(child_node)
                if (conns := connections(target))
            ]
            if reached:
                cases.append(
                    Case(
                        f"{root}.{child}/lists-of-relations",
                        f"{{ {root}(first: 2) {{ nodes {{ id {child}(first: 2) "
                        f"{{ nodes {{ id {' '.join(reached)} }} }} }} }} }}",
                    )
                )
        if nested:
            every = " ".join(f"{c}(first: 2) {{ totalCount nodes {{ id }} }}" for c, _ in nested)
            cases.append(
                Case(
                    f"{root}/every-nested-list",
                    f"{{ {root}(first: 3) {{ nodes {{ id {every} }} }} }}",
                )
            )
        for chain in self._chains(node, 3):
            inner = f"totalCount {PAGE_INFO} edges {{ cursor node {{ id }} }}"
            for name in reversed(chain[1:]):
                inner = f"totalCount nodes {{ id {name}(first: 2) {{ {inner} }} }}"
            cases.append(
                Case(
                    f"{root}." + ".".join(chain),
                    f"{{ {root}(first: 2) {{ nodes {{ id {chain[0]}(first: 2) {{ {inner} }} }} }} }}",
                )
            )
        for one, target in to_ones(node):
            for child, _ in connections(target):
                cases.append(
                    Case(
                        f"{root}.{one}.{child}",
                        f"{{ {root}(first: 3) {{ nodes {{ id {one} {{ id {child}(first: 2) "
                        f"{{ totalCount {PAGE_INFO} nodes {{ id }} }} }} }} }} }}",
                    )
                )
        return cases

    def _chains(self, node: GraphQLObjectType, depth: int) -> Iterator[list[str]]:
        """Paths of 2..depth nested connections below `node`."""
        for name, field_ in connections(node):
            for rest in self._paths(connection_node(field_), depth - 1):
                yield [name, *rest]

    def _paths(self, node: GraphQLObjectType, depth: int) -> Iterator[list[str]]:
        if depth <= 0:
            return
        for name, field_ in connections(node):
            yield [name]
            for rest in self._paths(connection_node(field_), depth - 1):
                yield [name, *rest]

    # --- paging: every orderBy, first and last, with cursors from the answer before ---------

    def paging(self) -> list[Case]:
        """Every orderBy, first and last; then the pages either side of each (and, for the
        default order, windows between two cursors and a third page)."""
        cases = []
        for root, field_ in self.roots:
            for index, order in enumerate(order_values(field_)):

                def make(_root: str = root, _order: str = order, **paging: Any) -> str:
                    # a cursor carries the sort value, so cursors and ids show the order
                    return (
                        f"{{ {_root}{arguments(orderBy=_order, **paging)} {{ totalCount {PAGE_INFO} "
                        f"edges {{ cursor node {{ id }} }} }} }}"
                    )

                for direction in ("first", "last"):
                    name = f"{root}/{order}/{direction}"
                    follow = self._turns(name, root, make, direction, full=index == 0)
                    cases.append(Case(name, make(**{direction: 3}), follow=follow))
        return cases

    def _turns(
        self, name: str, root: str, make: Callable[..., str], direction: str, *, full: bool
    ) -> Callable[[dict[str, Any]], list[Case]]:
        def follow(body: dict[str, Any]) -> list[Case]:
            info = body["data"][root]["pageInfo"]
            start, end = info["startCursor"], info["endCursor"]
            if start is None:
                return []
            if direction == "last":
                cases = [Case(f"{name}/previous", make(last=3, before=quote(start)))]
                if full:
                    cases.append(Case(f"{name}/first-before-end", make(first=3, before=quote(end))))
                return cases
            third = self._turns(f"{name}/next", root, make, direction, full=False) if full else None
            cases = [
                Case(f"{name}/next", make(first=3, after=quote(end)), follow=third),
                Case(f"{name}/back", make(last=3, before=quote(end))),
            ]
            if full:
                cases += [
                    Case(f"{name}/window", make(first=3, after=quote(start), before=quote(end))),
                    Case(f"{name}/last-after-start", make(last=2, after=quote(start))),
                ]
            return cases

        return follow

    def nested_paging(self) -> list[Case]:
        """Every orderBy of every nested list, first or last, then the page after (or before)
        the first parent's page, with that cursor given to every parent."""
        cases = []
        for root, field_ in self.roots:
            for child, child_field in connections(connection_node(field_)):
                nodes = "id"
                for index, order in enumerate(order_values(child_field)):
                    directions = (
                        ("first", "last") if index == 0 else (("first", "last")[index % 2],)
                    )
                    for direction in directions:

                        def make(
                            _r: str = root,
                            _c: str = child,
                            _o: str = order,
                            _n: str = nodes,
                            **paging: Any,
                        ) -> str:
                            return (
                                f"{{ {_r}(first: 2) {{ nodes {{ id {_c}{arguments(orderBy=_o, **paging)} "
                                f"{{ totalCount {PAGE_INFO} edges {{ cursor node {{ {_n} }} }} }} }} }} }}"
                            )

                        name = f"{root}.{child}/{order}/{direction}"
                        cases.append(
                            Case(
                                name,
                                make(**{direction: 2}),
                                follow=self._nested_turn(name, root, child, make, direction),
                            )
                        )
        return cases

    def _nested_turn(
        self, name: str, root: str, child: str, make: Callable[..., str], direction: str
    ) -> Callable[[dict[str, Any]], list[Case]]:
        def follow(body: dict[str, Any]) -> list[Case]:
            pages = [n[child]["pageInfo"] for n in body["data"][root]["nodes"] if n.get(child)]
            info = next((p for p in pages if p["startCursor"]), None)
            if info is None:
                return []
            if direction == "first":
                return [Case(f"{name}/after", make(first=2, after=quote(info["endCursor"])))]
            return [Case(f"{name}/before", make(last=2, before=quote(info["startCursor"])))]

        return follow

    # --- filters: every field of every filter input, one at a time ---------------------------

    def filters(self) -> list[Case]:
        cases = []
        for root, field_ in self.roots:
            filter_type = unwrap(field_.args["filter"].type)
            selection = f"totalCount {APPLIED} {PAGE_INFO} nodes {{ id }}"
            for index, (label, value) in enumerate(self.filter_values(filter_type)):
                name = f"{root}/filter/{label}"
                if index % 3 == 2:  # every third one through a variable
                    cases.append(
                        Case(
                            name + "/variable",
                            f"query($filter: {filter_type.name}) "
                            f"{{ {root}(first: 5, filter: $filter) {{ {selection} }} }}",
                            variables={"filter": value},
                        )
                    )
                else:
                    cases.append(
                        Case(
                            name,
                            f"{{ {root}(first: 5, filter: {literal(value, filter_type)}) {{ {selection} }} }}",
                        )
                    )
        return cases + self._combined_filters()

    def _combined_filters(self) -> list[Case]:
        company, data = self.data.companies[0], self.data
        dialled = data.values[("call", "dialled_e164")][0]
        combined = {
            "calls": [
                {
                    "dispositions": ["BUSY", "NO_ANSWER", "FAILED"],
                    "attribution": {"sources": ["google"], "mediums": ["cpc"]},
                    "startedAt": {"label": "THIS_WEEK", "timeZone": "Australia/Sydney"},
                    "callerType": "UNIQUE",
                },
                {"dialled": [self._national(dialled)], "promptKeys": [["1"]]},
                {"companies": [company], "startedAt": {"label": "TODAY"}},
                {
                    "companies": [company],
                    "startedAt": {"from": "2026-03-01T00:00:00"},
                    "caller": self._national(data.values[("caller", "e164")][0]),
                },
                {
                    "companies": data.companies[:2],
                    "startedAt": {"label": "YESTERDAY"},
                    "duration": {"min": 1},
                },
                {"hasRecording": True, "trafficTypes": ["CAMPAIGN", "ORGANIC"], "search": "a"},
            ],
            "leads": [
                {"companies": [company], "createdAt": {"label": "THIS_MONTH"}},
                {
                    "hasNextAction": True,
                    "nextActionAt": {"from": "2026-03-18T00:00:00Z"},
                    "eitherConverted": True,
                },
                {"buyerConverted": True, "offerConverted": False, "optOut": False, "search": "e"},
            ],
            "numbers": [
                {"capabilities": ["VOICE", "SMS"], "vendors": ["CALLRAIL", "FONE_DYNAMICS"]},
                {
                    "companies": [company],
                    "e164": [self._national(data.values[("number", "e164")][0])],
                },
            ],
            "sources": [
                {
                    "companies": [company],
                    "enabled": True,
                    "trackingTypes": ["SOURCE", "ATTRIBUTION"],
                }
            ],
        }
        cases = []
        for root, values in combined.items():
            field_ = self.query.fields[root]
            filter_type = unwrap(field_.args["filter"].type)
            nodes = select(connection_node(field_), 0)
            for index, value in enumerate(values):
                cases.append(
                    Case(
                        f"{root}/combined-filter/{index}",
                        f"{{ {root}(first: 10, filter: {literal(value, filter_type)}) "
                        f"{{ totalCount {APPLIED} nodes {{ {nodes} }} }} }}",
                    )
                )
        return cases

    def nested_filters(self) -> list[Case]:
        """Filters on lists under a parent: scope-dependent values (date labels read in the
        parent company's zone, national phone numbers in its region) and one of each other."""
        cases = []
        for root, field_ in self.roots:
            order = order_values(field_)[1]  # the default's reverse
            for child, child_field in connections(connection_node(field_)):
                filter_type = unwrap(child_field.args["filter"].type)
                for label, value in self.filter_values(filter_type, brief=True):
                    if root != "companies" and not label.endswith(PARENT_SCOPED):
                        continue
                    cases.append(
                        Case(
                            f"{root}.{child}/filter/{label}",
                            # companies by NAME_DESC: four time zones, Kathmandu's +05:45 first
                            f"{{ {root}(first: 4, orderBy: {order}) {{ nodes {{ id "
                            f"{child}(first: 3, filter: {literal(value, filter_type)}) "
                            f"{{ totalCount {APPLIED} nodes {{ id }} }} }} }} }}",
                        )
                    )
        return cases

    def filter_values(
        self, input_type: GraphQLInputObjectType, *, brief: bool = False
    ) -> list[tuple[str, Any]]:
        values = []
        for name, field_ in input_type.fields.items():
            self.used_inputs.add((input_type.name, name))
            kind = unwrap(field_.type).name
            found = self.field_values(input_type.name, name, field_.type, brief=brief)
            if brief and kind not in ("DateRange", "PhoneNumber", "ID"):
                found = found[:1]
            values += [(f"{name}={label}", {name: value}) for label, value in found]
        return values

    def field_values(
        self, owner: str, name: str, type_: Any, *, brief: bool
    ) -> list[tuple[str, Any]]:
        named, outer = unwrap(type_), nullable(type_)
        is_list = isinstance(outer, GraphQLList)
        if named.name == "DateRange":
            return self.date_ranges(brief=brief or (owner, name) != self.full_dates)
        if named.name == "IntRange":
            return [
                ("min", {"min": 45}),
                ("max", {"max": 30}),
                ("min-max", {"min": 10, "max": 120}),
                ("min-over-max", {"min": 9, "max": 3}),
                ("empty", {}),
            ]
        if named.name == "VendorIdInput":
            return self.vendor_id_values(owner, name)
        if isinstance(named, GraphQLInputObjectType):
            return [("empty", {}), *self.filter_values(named, brief=brief)]
        if isinstance(named, GraphQLEnumType):
            names = list(named.values)
            if is_list:
                return [*[(n, [n]) for n in names], ("all", names), ("none", [])]
            return [(n, n) for n in names]
        if named.name == "Boolean":
            return [("true", True), ("false", False), ("null", None)]
        if named.name == "Int":
            return [("0", 0), ("1", 1), ("60", 60)]
        if named.name == "ID":
            return self.id_values(name, brief=brief)
        if named.name == "PhoneNumber":
            return self.phone_values(self._column(owner, name), is_list=is_list, brief=brief)
        if named.name == "String" and is_list and isinstance(nullable(outer.of_type), GraphQLList):
            return [
                ("1", [["1"]]),
                ("1,2", [["1", "2"]]),
                ("2|3,1", [["2"], ["3", "1"]]),
                ("spaced", [[" 1 "]]),
                ("empty-path", [[]]),
                ("comma-key", [["1,2"]]),
                ("none", []),
            ]
        if named.name == "String":
            return self.string_values(owner, name, is_list=is_list)
        raise AssertionError(f"the generator has no values for {owner}.{name} ({type_}): teach it")

    def vendor_id_values(self, owner: str, name: str) -> list[tuple[str, Any]]:
        table = VENDOR_ID_FILTERS.get((owner, name))
        assert table is not None, f"VENDOR_ID_FILTERS lacks {owner}.{name}: name its table"
        rows = self.data.vendor_ids[table]
        assert rows, f"the dataset has no {table} rows for {owner}.{name}"
        self.used_inputs |= {("VendorIdInput", n) for n in ("vendor", "externalId", "accountId")}
        first, last = rows[0], rows[-1]
        ids = [{"vendor": r["vendor"], "externalId": r["externalId"]} for r in (first, last)]
        other = "BUTTER" if first["vendor"] != "BUTTER" else "CALLRAIL"
        values = [
            ("one", [ids[0]]),
            ("two", ids),
            ("other-vendor", [{**ids[0], "vendor": other}]),
            ("unknown", [{"vendor": first["vendor"], "externalId": "no such id"}]),
            ("neither", [{"vendor": first["vendor"]}]),
            ("none", []),
        ]
        if first.get("accountId") is not None:
            values.append(
                ("account", [{"vendor": first["vendor"], "accountId": first["accountId"]}])
            )
            values.append(("id-and-account", [first]))
        elif table == "source":
            values.append(("account", [{"vendor": first["vendor"], "accountId": "AC-any"}]))
        return values

    def _column(self, owner: str, name: str) -> list[Any]:
        key = COLUMNS.get((owner, name))
        assert key is not None, (
            f"COLUMNS lacks {owner}.{name}: name the column its values come from"
        )
        values = self.data.values[key]
        assert values, f"the dataset has no {key} values for {owner}.{name}"
        return values

    def string_values(self, owner: str, name: str, *, is_list: bool) -> list[tuple[str, Any]]:
        values = self._column(owner, name)
        first, last = str(values[0]), str(values[-1])
        if is_list:
            return [
                ("one", [first]),
                ("two", [first, last]),
                ("lower", [first.lower()]),
                ("unknown", ["no such value"]),
                ("none", []),
            ]
        if name == "email":
            return [("upper", first.upper()), ("unknown", "nobody@example.com"), ("empty", "")]
        middle = first[1:5] if len(first) > 5 else first
        return [
            ("part", middle),
            ("upper", first.upper()),
            ("percent", "%"),
            ("underscore", "_"),
            ("blank", "  "),
            ("unknown", "no such text"),
        ]

    def phone_values(
        self, values: list[Any], *, is_list: bool, brief: bool
    ) -> list[tuple[str, Any]]:
        first, last = str(values[0]), str(values[-1])
        forms = [
            ("e164", first),
            ("national", self._national(first)),
            ("spaced", self._spaced(last)),
            ("invalid", "call me maybe"),
        ]
        if brief:
            forms = forms[:2]
        if is_list:
            return [(label, [value]) for label, value in forms] + [
                ("two", [first, self._national(last)]),
                ("none", []),
            ]
        return forms

    @staticmethod
    def _national(e164: str) -> str:
        try:
            parsed = phonenumbers.parse(e164)
        except phonenumbers.NumberParseException:
            return e164
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)

    @staticmethod
    def _spaced(e164: str) -> str:
        try:
            parsed = phonenumbers.parse(e164)
        except phonenumbers.NumberParseException:
            return e164
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    def id_values(self, name: str, *, brief: bool) -> list[tuple[str, Any]]:
        type_name = ID_FILTERS.get(name)
        assert type_name, f"ID_FILTERS lacks {name}: say which type its ids name"
        ids = self.data.ids[type_name]
        values = [("one", ids[:1]), ("other-account", [self.data.other[type_name]])]
        if brief:
            return values
        return [
            *values,
            ("two", [ids[1], ids[-1]]),
            ("none", []),
            ("wrong-type", [self.data.ids["Call"][0]]),
            ("malformed", ["???"]),
        ]

    def date_ranges(self, *, brief: bool) -> list[tuple[str, Any]]:
        enum = self.schema.get_type("DateRangeLabel")
        assert isinstance(enum, GraphQLEnumType)
        labels = [label for label in enum.values if label != "CUSTOM_RANGE"]
        local = ("local-from-to", {"from": "2026-03-01T00:00:00", "to": "2026-03-16T00:00:00"})
        if brief:
            return [*[(label, {"label": label}) for label in NESTED_LABELS], local]
        instant = self.data.instant
        return [
            *[(label, {"label": label}) for label in labels],
            *[
                (f"{label}@{zone}", {"label": label, "timeZone": zone})
                for label, zone in zip(ZONED_LABELS, ZONES * len(ZONED_LABELS), strict=False)
            ],
            (
                "custom",
                {
                    "label": "CUSTOM_RANGE",
                    "from": "2026-02-01T00:00:00Z",
                    "to": "2026-03-01T00:00:00Z",
                },
            ),
            ("custom-open", {"label": "CUSTOM_RANGE"}),
            ("from", {"from": "2026-03-10T00:00:00Z"}),
            ("to", {"to": "2026-01-15T12:30:00+10:00"}),
            (
                "from-to-offsets",
                {"from": "2026-02-01T00:00:00-05:00", "to": "2026-02-15T00:00:00+05:45"},
            ),
            local,
            ("local-from-to-in-zone", {**local[1], "timeZone": "America/Denver"}),
            ("exact-from", {"from": instant}),
            ("exact-to", {"to": instant}),
            ("empty-range", {"from": instant, "to": instant}),
            ("no-bounds", {}),
            ("from-after-to", {"from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"}),
            ("label-and-from", {"label": "TODAY", "from": "2026-03-01T00:00:00Z"}),
            ("unknown-zone", {"label": "TODAY", "timeZone": "Mars/Olympus_Mons"}),
        ]

    # --- node and nodes -------------------------------------------------------------------

    def refetch_selection(self, depth: int = 2) -> str:
        """`__typename id` and an inline fragment per Node type with every field; a name whose
        type differs between types is aliased (the two may not share a response key)."""
        types = [self.type(name) for name in NODE_TYPES]
        kinds: dict[str, set[str]] = {}
        for type_ in types:
            for name, field_ in type_.fields.items():
                kinds.setdefault(name, set()).add(str(field_.type))
        parts = []
        for type_ in types:
            prefix = type_.name[:2].lower()

            def key(name: str, _prefix: str = prefix) -> str:
                return f"{_prefix}_{name}: {name}" if len(kinds[name]) > 1 else name

            fields = [key(name) for name in leaves(type_)]
            if depth > 0:
                fields += [
                    f"{key(name)} {{ {select(target, depth - 1)} }}"
                    for name, target in to_ones(type_)
                ]
            parts.append(f"... on {type_.name} {{ {' '.join(fields)} }}")
        return "__typename id " + " ".join(parts)

    def node_ids(self) -> list[tuple[str, str]]:
        data, found = self.data, []
        for type_name in NODE_TYPES:
            ids = data.ids[type_name]
            found += [(f"{type_name}-first", ids[0]), (f"{type_name}-last", ids[-1])]
        found += [(f"pick-{name}", value) for name, value in data.picks.items()]
        found += [(f"other-{name}", value) for name, value in data.other.items()]
        return found

    def nodes(self) -> list[Case]:
        selection = self.refetch_selection()
        cases = [
            Case(
                f"node/{label}",
                f"query($id: ID!) {{ node(id: $id) {{ {selection} }} }}",
                variables={"id": value},
            )
            for label, value in self.node_ids()
        ]
        unknown = [
            ("unknown-pk", encode_global_id("Call", 987654)),
            ("unknown-type", encode_global_id("Bogus", 1)),
            ("non-node-type", encode_global_id("PageInfo", 1)),
            ("pk-zero", encode_global_id("Call", 0)),
            ("malformed", "!!!"),
            ("empty", ""),
        ]
        cases += [
            Case(f"node/{label}", f"{{ node(id: {quote(value)}) {{ {selection} }} }}")
            for label, value in unknown
        ]
        every = [value for _, value in self.node_ids()]
        mixed = [
            every[0],
            every[0],
            encode_global_id("Call", 987654),
            *every[1:],
            encode_global_id("Bogus", 3),
        ]
        cases += [
            Case(
                "nodes/every-type",
                f"query($ids: [ID!]!) {{ nodes(ids: $ids) {{ {selection} }} }}",
                variables={"ids": mixed},
            ),
            Case("nodes/typename-only", f"{{ nodes(ids: {quote(every[:6])}) {{ __typename }} }}"),
            Case("nodes/empty", "{ nodes(ids: []) { id } }"),
            Case(
                "nodes/250",
                "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Call { startedAt } } }",
                variables={"ids": (self.data.ids["Call"] * 3)[:250]},
            ),
            Case(
                "nodes/251",
                "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                variables={"ids": (self.data.ids["Call"] * 3)[:251]},
            ),
            Case("nodes/one-malformed", f'{{ nodes(ids: [{quote(every[0])}, "!!!"]) {{ id }} }}'),
            Case(
                "node/interface-fragment",
                "fragment N on Node { id __typename } "
                f"{{ a: node(id: {quote(self.data.picks['rich_call'])}) {{ ...N }} "
                f"b: node(id: {quote(every[0])}) {{ ... on Node {{ id }} }} }}",
            ),
            Case(
                "node/nested-lists",
                f"{{ node(id: {quote(self.data.companies[0])}) {{ ... on Company {{ name calls(first: 3) "
                f"{{ totalCount nodes {{ id number {{ e164 calls(first: 2) "
                f"{{ totalCount nodes {{ id }} }} }} }} }} }} }} }}",
            ),
        ]
        return cases

    # --- whole documents and bad inputs: differential_requests.py ------------------------

    def documents(self) -> list[Case]:
        return requests.documents(self)

    def bad_inputs(self) -> list[Case]:
        return requests.bad_inputs(self)

    # --- keys that may not read everything ------------------------------------------------

    def scopes(self) -> list[Case]:
        cases = []
        for key, step in (("limited", 1), ("narrow", 3)):  # a key that reads nothing needs fewer
            for root, field_ in self.roots:
                node = connection_node(field_)
                every = " ".join(
                    f"{c}(first: 2) {{ totalCount nodes {{ id }} }}" for c, _ in connections(node)
                )
                relations = " ".join(
                    f"{one} {{ {select(target, 1)} }}" for one, target in to_ones(node)
                )
                cases.append(
                    Case(
                        f"{key}/{root}/full",
                        f"{{ {root}(first: 3) {{ {connection_selection(select(node, 2))} }} }}",
                        key=key,
                    )
                )
                if step == 1:
                    cases.append(
                        Case(
                            f"{key}/{root}/lists-and-relations",
                            f"{{ {root}(first: 3) {{ totalCount nodes {{ id {every} {relations} }} }} }}",
                            key=key,
                        )
                    )
            selection = self.refetch_selection(1)
            ids = [value for _, value in self.node_ids()]
            cases += [
                Case(
                    f"{key}/node/{label}",
                    f"query($id: ID!) {{ node(id: $id) {{ {selection} }} }}",
                    variables={"id": value},
                    key=key,
                )
                for label, value in self.node_ids()[:: 2 * step]
            ]
            cases.append(
                Case(
                    f"{key}/nodes",
                    f"query($ids: [ID!]!) {{ nodes(ids: $ids) {{ {selection} }} }}",
                    variables={"ids": ids},
                    key=key,
                )
            )
            cases += [
                Case(f"{key}/{c.name}", c.query, c.variables, c.operation, key=key)
                for c in requests.reference_cases(self)[::step]
            ]
        return cases + self._mangled()

    def _mangled(self) -> list[Case]:
        cases = []
        for root, field_ in self.roots:
            node = connection_node(field_)
            cases.append(
                Case(
                    f"mangled/{root}",
                    f"{{ {root}(first: 10) {{ {connection_selection(select(node, 2))} }} }}",
                    key="mangled",
                    internal_ok=True,
                )
            )
            cases.append(
                Case(
                    f"mangled/{root}/leaves",
                    f"{{ {root}(first: 10) {{ nodes {{ {select(node, 0)} }} }} }}",
                    key="mangled",
                    internal_ok=True,
                )
            )
        cases += [
            Case(
                f"mangled/node/{name}",
                f"{{ node(id: {quote(value)}) {{ {self.refetch_selection()} }} }}",
                key="mangled",
                internal_ok=True,
            )
            for name, value in self.data.mangled.items()
        ]
        cases.append(
            Case(
                "mangled/nested",
                "{ companies { nodes { name "
                "calls(first: 5) { totalCount nodes { id disposition session { trafficType } } } "
                "numbers(first: 5) { nodes { e164 type status } } "
                "sources(first: 5) { nodes { name trackingType } } } } }",
                key="mangled",
                internal_ok=True,
            )
        )
        return cases


def object_fields(schema: GraphQLSchema) -> set[tuple[str, str]]:
    """(type, field) for every field of every object type reachable from Query."""
    assert schema.query_type is not None
    seen: set[str] = set()
    found: set[tuple[str, str]] = set()
    pending: list[GraphQLObjectType] = [schema.query_type]
    while pending:
        type_ = pending.pop()
        if type_.name in seen:
            continue
        seen.add(type_.name)
        for name, field_ in type_.fields.items():
            found.add((type_.name, name))
            target = unwrap(field_.type)
            if isinstance(target, GraphQLObjectType):
                pending.append(target)
            elif hasattr(target, "fields") and not isinstance(target, GraphQLInputObjectType):
                pending += [
                    t for t in schema.get_possible_types(target) if isinstance(t, GraphQLObjectType)
                ]
                pending.append(target)  # type: ignore[arg-type]
    return found


def filter_inputs(schema: GraphQLSchema) -> set[tuple[str, str]]:
    """(input, field) for every filter input reachable from a connection's `filter`."""
    found: set[tuple[str, str]] = set()

    def walk(input_type: GraphQLInputObjectType) -> None:
        for name, field_ in input_type.fields.items():
            found.add((input_type.name, name))
            target = unwrap(field_.type)
            if isinstance(target, GraphQLInputObjectType) and target.name not in (
                "DateRange",
                "IntRange",
            ):
                walk(target)

    for type_ in schema.type_map.values():
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("__"):
            for field_ in type_.fields.values():
                if "filter" in field_.args:
                    walk(unwrap(field_.args["filter"].type))
    return found


def selected_fields(schema: GraphQLSchema, documents: list[str]) -> set[tuple[str, str]]:
    """(parent type, field) for every field the documents select (fragments included)."""
    found: set[tuple[str, str]] = set()

    def walk(selection_set: Any, parent: Any) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                found.add((parent.name, name))
                field_ = getattr(parent, "fields", {}).get(name)
                if field_ is not None and selection.selection_set:
                    walk(selection.selection_set, unwrap(field_.type))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                walk(
                    selection.selection_set,
                    schema.get_type(condition.name.value) if condition else parent,
                )

    for document in set(documents):
        try:
            parsed = parse(document)
        except GraphQLError:  # the bad-input documents that do not parse select nothing
            continue
        for definition in parsed.definitions:
            if isinstance(definition, OperationDefinitionNode):
                walk(definition.selection_set, schema.query_type)
            elif isinstance(definition, FragmentDefinitionNode):
                walk(
                    definition.selection_set, schema.get_type(definition.type_condition.name.value)
                )
    return found
