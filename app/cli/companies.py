"""`switchboard companies list|set|link`: see companies with their vendor ids, rename them,
give them their time zone and region, and link them to their ids at other vendors."""

import argparse
import sys
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncConnection

from app.cli.keys import _run
from app.cli.output import company_lines
from app.core.companies import CompanyError, CompanyInfo, link_company, list_companies, set_company
from app.core.settings import Settings
from app.vendors.registry import parse_vendor


def _change(settings: Settings, work: Callable[[AsyncConnection], Awaitable[CompanyInfo]]) -> int:
    """Run one change in a transaction; print the company after it, or the problem."""
    try:
        company = _run(settings, work)
    except CompanyError as exc:
        print(f"switchboard companies: {exc}", file=sys.stderr)
        return 1
    for line in company_lines([company]):
        print(line)
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    """One line per company: ID, account, name, zone, region, vendor ids."""
    companies = _run(settings, lambda conn: list_companies(conn, account=args.account))
    for line in company_lines(companies):
        print(line)
    return 0


def cmd_set(args: argparse.Namespace, settings: Settings) -> int:
    return _change(
        settings,
        lambda conn: set_company(
            conn, args.company, name=args.name, time_zone=args.zone, region=args.region
        ),
    )


def cmd_link(args: argparse.Namespace, settings: Settings) -> int:
    try:
        vendor = parse_vendor(args.vendor)
    except ValueError as exc:
        print(f"switchboard companies: {exc}", file=sys.stderr)
        return 2
    return _change(
        settings,
        lambda conn: link_company(
            conn, args.company, vendor=vendor, external_id=args.id, account_id=args.vendor_account
        ),
    )


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    companies = sub.add_parser(
        "companies", help="list companies, rename them, set their zone and region, link vendor ids"
    )
    actions = companies.add_subparsers(dest="companies_command", required=True)
    listing = actions.add_parser("list", help="companies with their vendor ids")
    listing.add_argument("--account", help="only this account's companies (default: all)")
    listing.set_defaults(func=cmd_list)
    setting = actions.add_parser(
        "set", help="rename a company (imports then keep the name), set its zone or region"
    )
    setting.add_argument("company", help="the Company ID (as `companies list` shows it)")
    setting.add_argument("--name", help="the company's name")
    setting.add_argument(
        "--zone", help="IANA time zone (America/Chicago) or Rails name (Central Time (US & Canada))"
    )
    setting.add_argument("--region", help="ISO 3166 alpha-2 country code for national numbers")
    setting.set_defaults(func=cmd_set)
    link = actions.add_parser("link", help="make another vendor's id name this company too")
    link.add_argument("company", help="the Company ID (as `companies list` shows it)")
    link.add_argument("vendor", help="callrail, fone-dynamics, butter or trackdrive")
    link.add_argument("id", help="the vendor's id for the company (CallRail company_id, ...)")
    link.add_argument("--vendor-account", help="the vendor's account id (FD AccountSid)")
    link.set_defaults(func=cmd_link)
