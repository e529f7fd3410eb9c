"""Vendor ids read back: each vendor document's example payloads imported through the import
path, then `vendorIds` and the vendor id filters queried on both read paths (the compiled
answer must be the general one, and compiled), on both databases."""

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.testclient import TestClient

from app.core.companies import link_company
from app.core.db import create_engine, create_session_factory
from app.core.settings import Settings
from app.ingest import import_payload
from app.models.enums import Vendor
from app.web.app import create_app

import helpers.factories as f
from helpers.imports import ACCOUNT, load

PROPERTY = "PR4f0c2a9e7b1d4c3a8e5f6a7b8c9d0e1f"
OTHER_PROPERTY = "PR9a8b7c6d5e4f30211f2e3d4c5b6a7980"
ACCOUNT_SID = "AC1b2c3d4e5f60718293a4b5c6d7e8f901"
EXAMPLES = (
    (Vendor.CALLRAIL, "sources", "callrail/sources.json", None),
    (Vendor.FONE_DYNAMICS, "numbers", "fonedynamics/numbers.json", None),
    (Vendor.FONE_DYNAMICS, "calls", "fonedynamics/calls.json", None),
    (Vendor.BUTTER, "phone-numbers", "butter/phone_numbers.json", "org_butter"),
    (Vendor.TRACKDRIVE, "leads", "trackdrive/leads.json", "td_company"),
)
IDS = "vendorIds { vendor externalId accountId }"


async def _import_examples(settings: Settings) -> None:
    engine = create_engine(settings)
    try:
        factory = create_session_factory(engine)
        for vendor, resource, path, company in EXAMPLES:
            await import_payload(
                session_factory=factory, account=ACCOUNT, vendor=vendor, resource=resource,
                payload=load(path), company=company,
            )  # fmt: skip
    finally:
        await engine.dispose()


async def _key(conn: AsyncConnection) -> str:
    return await f.api_key(conn, await f.account(conn, ACCOUNT))


@pytest.fixture
def paths(settings: Settings) -> Iterator[dict[str, TestClient]]:
    """{"compiled": client, "general": client} on the imported examples."""
    asyncio.run(_import_examples(settings))
    headers = {"Authorization": f"Bearer {f.run_db(settings, _key)}"}
    apps = {
        path: create_app(settings.model_copy(update={"compiled_reads": path == "compiled"}))
        for path in ("compiled", "general")
    }
    with (
        TestClient(apps["compiled"], headers=headers) as compiled,
        TestClient(apps["general"], headers=headers) as general,
    ):
        yield {"compiled": compiled, "general": general}


def ask(
    paths: dict[str, TestClient],
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    compiled: bool = True,
) -> dict[str, Any]:
    """The answer, the same on both read paths (and compiled when `compiled`)."""
    answers = {}
    for path, client in paths.items():
        response = client.post("/graphql", json={"query": query, "variables": variables or {}})
        answers[path] = response.json()
        if path == "compiled" and compiled:
            assert response.headers["x-read-path"] == "compiled", answers[path]
    assert answers["compiled"] == answers["general"]
    return answers["general"]


def data(paths: dict[str, TestClient], query: str) -> dict[str, Any]:
    body = ask(paths, query)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]
    return result


def test_companies_list_their_vendor_ids_and_callrail_names_its_company(
    paths: dict[str, TestClient],
) -> None:
    found = data(
        paths, f"{{ companies(first: 10) {{ nodes {{ name vendor externalId {IDS} }} }} }}"
    )
    companies = {c["externalId"]: (c["name"], c["vendorIds"]) for c in found["companies"]["nodes"]}
    assert companies == {
        "254822795": ("LMM", [{"vendor": "CALLRAIL", "externalId": "254822795", "accountId": None}]),
        PROPERTY: (PROPERTY, [{"vendor": "FONE_DYNAMICS", "externalId": PROPERTY, "accountId": ACCOUNT_SID}]),
        OTHER_PROPERTY: (
            OTHER_PROPERTY,
            [{"vendor": "FONE_DYNAMICS", "externalId": OTHER_PROPERTY, "accountId": ACCOUNT_SID}],
        ),
        "org_butter": ("org_butter", [{"vendor": "BUTTER", "externalId": "org_butter", "accountId": None}]),
        "td_company": ("td_company", [{"vendor": "TRACKDRIVE", "externalId": "td_company", "accountId": None}]),
    }  # fmt: skip


def test_numbers_list_each_vendors_id(paths: dict[str, TestClient]) -> None:
    found = data(paths, f"{{ numbers(first: 50) {{ nodes {{ e164 {IDS} }} }} }}")
    numbers = {n["e164"]: n["vendorIds"] for n in found["numbers"]["nodes"]}
    assert numbers["+15551234567"] == [
        {"vendor": "BUTTER", "externalId": "phon_a1b2c3d4e5f6", "accountId": None}
    ]
    assert numbers["+15559876543"] == [
        {"vendor": "BUTTER", "externalId": "phon_b2c3d4e5f6a7", "accountId": None}
    ]
    assert numbers["+61290001234"] == [
        {"vendor": "FONE_DYNAMICS", "externalId": "+61290001234", "accountId": ACCOUNT_SID}
    ]
    assert numbers["+16781112222"] == [
        {"vendor": "CALLRAIL", "externalId": "+16781112222", "accountId": None}
    ]
    assert all(ids for ids in numbers.values()), numbers


def test_vendor_ids_under_nested_lists_and_node(paths: dict[str, TestClient]) -> None:
    found = data(
        paths,
        f"{{ companies(first: 10) {{ nodes {{ id {IDS} numbers(first: 5) {{ nodes {{ e164 {IDS} }} }} }} }} }}",
    )
    company = next(
        c for c in found["companies"]["nodes"] if c["vendorIds"][0]["externalId"] == "org_butter"
    )
    assert [n["vendorIds"][0]["externalId"] for n in company["numbers"]["nodes"]] == [
        "phon_a1b2c3d4e5f6",
        "phon_b2c3d4e5f6a7",
    ]
    node = data(paths, f'{{ node(id: "{company["id"]}") {{ ... on Company {{ {IDS} }} }} }}')
    assert node["node"]["vendorIds"] == company["vendorIds"]


def total(paths: dict[str, TestClient], root: str, filter_: str) -> int:
    found = data(paths, f"{{ {root}(filter: {filter_}) {{ totalCount }} }}")
    count: int = found[root]["totalCount"]
    return count


def test_filters_take_the_vendors_own_ids(paths: dict[str, TestClient]) -> None:
    butter = '{vendor: BUTTER, externalId: "phon_a1b2c3d4e5f6"}'
    found = data(paths, f"{{ numbers(filter: {{vendorIds: [{butter}]}}) {{ nodes {{ e164 }} }} }}")
    assert found["numbers"]["nodes"] == [{"e164": "+15551234567"}]
    fd_account = f'{{vendor: FONE_DYNAMICS, accountId: "{ACCOUNT_SID}"}}'
    assert total(paths, "numbers", f"{{vendorIds: [{fd_account}]}}") == 4
    assert total(paths, "companies", f"{{vendorIds: [{fd_account}]}}") == 2
    callrail = '{vendor: CALLRAIL, externalId: "254822795"}'
    found = data(
        paths, f"{{ companies(filter: {{vendorIds: [{callrail}]}}) {{ nodes {{ name }} }} }}"
    )
    assert found["companies"]["nodes"] == [{"name": "LMM"}]
    source = '{vendor: CALLRAIL, externalId: "240917258"}'
    found = data(paths, f"{{ sources(filter: {{vendorIds: [{source}]}}) {{ nodes {{ name }} }} }}")
    assert found["sources"]["nodes"] == [{"name": "Google Organic"}]
    # The id alone is not enough: it must be that vendor's.
    assert (
        total(paths, "companies", '{vendorIds: [{vendor: BUTTER, externalId: "254822795"}]}') == 0
    )
    assert total(paths, "numbers", "{vendorIds: []}") == 0


def test_call_filters_take_company_and_source_vendor_ids(paths: dict[str, TestClient]) -> None:
    everything = total(paths, "calls", "{}")
    by_property = [
        total(
            paths, "calls", f'{{companyVendorIds: [{{vendor: FONE_DYNAMICS, externalId: "{p}"}}]}}'
        )
        for p in (PROPERTY, OTHER_PROPERTY)
    ]
    by_account = f'{{companyVendorIds: [{{vendor: FONE_DYNAMICS, accountId: "{ACCOUNT_SID}"}}]}}'
    assert 0 < by_property[0] < everything
    assert sum(by_property) == total(paths, "calls", by_account) == everything
    google = f'{{vendor: FONE_DYNAMICS, externalId: "{PROPERTY}:google"}}'
    attributed = data(
        paths,
        f"{{ calls(filter: {{sourceVendorIds: [{google}]}}) {{ totalCount nodes {{ attribution {{ source }} }} }} }}",
    )["calls"]
    assert 0 < attributed["totalCount"] < everything
    assert {c["attribution"]["source"] for c in attributed["nodes"]} == {"google"}


def bad(paths: dict[str, TestClient], query: str, variables: dict[str, Any] | None = None) -> str:
    body = ask(paths, query, variables, compiled=False)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    message: str = error["message"]
    return message


def test_bad_vendor_ids_name_the_problem(paths: dict[str, TestClient]) -> None:
    message = bad(paths, "{ numbers(filter: {vendorIds: [{vendor: BUTTER}]}) { totalCount } }")
    assert "filter.vendorIds[0]: give externalId, accountId or both" in message
    message = bad(
        paths,
        '{ sources(filter: {vendorIds: [{vendor: CALLRAIL, accountId: "x"}]}) { totalCount } }',
    )
    assert "filter.vendorIds[0].accountId: sources have no vendor account id" in message
    many = [{"vendor": "BUTTER", "externalId": f"p{i}"} for i in range(1001)]
    message = bad(
        paths,
        "query($ids: [VendorIdInput!]) { companies(filter: {vendorIds: $ids}) { totalCount } }",
        {"ids": many},
    )
    assert "vendorIds" in message and "at most 1000 items, got 1001" in message
    message = bad(
        paths,
        '{ companies(filter: {vendorIds: [{vendor: NOPE, externalId: "x"}]}) { totalCount } }',
    )
    assert "NOPE" in message


def test_a_linked_id_finds_the_company_and_its_imports_land_there(
    paths: dict[str, TestClient], settings: Settings
) -> None:
    [company] = data(
        paths,
        '{ companies(filter: {vendorIds: [{vendor: CALLRAIL, externalId: "254822795"}]}) { nodes { id } } }',
    )["companies"]["nodes"]

    async def link(conn: AsyncConnection) -> None:
        await link_company(conn, company["id"], vendor=Vendor.BUTTER, external_id="org_lmm")

    f.run_db(settings, link)
    payload = load("butter/phone_numbers.json")
    payload["data"] = [
        {**payload["data"][0], "phone_number_id": "phon_lmm", "phone_number": "+15550001111"}
    ]

    async def butter_import() -> None:
        engine = create_engine(settings)
        try:
            await import_payload(
                session_factory=create_session_factory(engine), account=ACCOUNT,
                vendor=Vendor.BUTTER, resource="phone-numbers", payload=payload, company="org_lmm",
            )  # fmt: skip
        finally:
            await engine.dispose()

    asyncio.run(butter_import())
    found = data(
        paths,
        '{ companies(filter: {vendorIds: [{vendor: BUTTER, externalId: "org_lmm"}]}) '
        f"{{ nodes {{ id name {IDS} numbers(filter: {{vendors: [BUTTER]}}) {{ nodes {{ e164 }} }} }} }} }}",
    )
    assert found["companies"]["nodes"] == [
        {
            "id": company["id"],
            "name": "LMM",
            "vendorIds": [
                {"vendor": "BUTTER", "externalId": "org_lmm", "accountId": None},
                {"vendor": "CALLRAIL", "externalId": "254822795", "accountId": None},
            ],
            "numbers": {"nodes": [{"e164": "+15550001111"}]},
        }
    ]
