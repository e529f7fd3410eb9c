"""`switchboard webhooks create|list|revoke`: the URLs vendors push their payloads to, each
bound to one account, vendor and resource."""

import argparse
import sys
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.cli.keys import _run
from app.core.api_keys import account_id_for
from app.core.settings import Settings
from app.core.webhooks import NewEndpoint, create_endpoint, revoke_endpoint
from app.models import Account, WebhookEndpoint
from app.vendors.base import PayloadError
from app.vendors.registry import VENDORS, parse_vendor, resource_spec


def cmd_create(args: argparse.Namespace, settings: Settings) -> int:
    """Mint an endpoint and print its URL path: the token in it is shown this once."""
    try:
        vendor = parse_vendor(args.vendor)
        spec = resource_spec(vendor=vendor, resource=args.resource)
    except (ValueError, PayloadError) as exc:
        print(f"switchboard: {exc}", file=sys.stderr)
        return 2
    if args.company is None and not spec.names_company:
        print(
            f"switchboard: {vendor.value} {args.resource} payloads do not name their company: "
            "pass --company (a Company ID or the vendor's own company id)",
            file=sys.stderr,
        )
        return 2

    async def work(conn: AsyncConnection) -> NewEndpoint:
        account_id = await account_id_for(conn, name=args.account, create=True)
        assert account_id is not None
        return await create_endpoint(
            conn, account_id=account_id, vendor=vendor, resource=args.resource,
            company=args.company, label=args.label,
        )  # fmt: skip

    endpoint = _run(settings, work)
    print(f"{args.base_url.rstrip('/')}/webhooks/{endpoint.token}")
    print(
        f"account {args.account}, {VENDORS[vendor].name} {args.resource}; POST the vendor's "
        "payloads to this URL; store it now, its token is not shown again",
        file=sys.stderr,
    )
    return 0


def cmd_revoke(args: argparse.Namespace, settings: Settings) -> int:
    """Revoke an endpoint, named by its URL, its token or its prefix (as `list` shows)."""
    token = args.endpoint.rstrip("/").rsplit("/", 1)[-1]
    parts = token.split("_", 2)
    prefix = parts[1] if len(parts) == 3 else token
    if not _run(settings, lambda conn: revoke_endpoint(conn, prefix=prefix)):
        print(f"switchboard: no live webhook endpoint with prefix {prefix}", file=sys.stderr)
        return 1
    print(f"revoked {prefix}")
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    """List endpoints (prefix, account, vendor, resource, company, label, state), no secrets."""
    hook, account = WebhookEndpoint.__table__, Account.__table__

    async def work(conn: AsyncConnection) -> list[tuple[str, ...]]:
        rows = await conn.execute(
            select(hook, account.c.name.label("account_name"))
            .join(account, account.c.id == hook.c.account_id)
            .order_by(hook.c.id)
        )
        return [_listed(r) for r in rows]

    for row in _run(settings, work):
        print("\t".join(row))
    return 0


def _listed(r: Any) -> tuple[str, ...]:
    state = "revoked" if r.revoked_at else "live"
    company = r.company or "-"
    return (
        r.prefix,
        r.account_name,
        r.vendor,
        r.resource,
        company,
        f"...{r.last4}",
        r.label or "-",
        state,
    )


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    hooks = sub.add_parser("webhooks", help="create, list and revoke webhook URLs for vendors")
    actions = hooks.add_subparsers(dest="webhooks_command", required=True)
    create = actions.add_parser("create", help="mint a webhook URL and print it once")
    create.add_argument("--account", required=True, help="account name (created if new)")
    create.add_argument("--vendor", required=True, help="callrail, fone-dynamics, butter, ...")
    create.add_argument("--resource", required=True, help="sources, numbers, calls, ...")
    create.add_argument(
        "--company", help="as `import --company`; required for Butter and TrackDrive"
    )
    create.add_argument("--label", default="", help="a note to tell endpoints apart")
    create.add_argument(
        "--base-url", default="", help="the server's public URL, printed before the path"
    )
    create.set_defaults(func=cmd_create)
    revoke = actions.add_parser("revoke", help="revoke an endpoint by URL, token or prefix")
    revoke.add_argument("endpoint")
    revoke.set_defaults(func=cmd_revoke)
    listing = actions.add_parser("list", help="list endpoints without their secrets")
    listing.set_defaults(func=cmd_list)
