"""``journal-app support [--country CC] [--json]``: the shipped support and crisis lines.

Works with no journal and never asks for a passphrase: it reads only ``resources/support.toml``
(the user's own contacts are encrypted in the journal and stay in the app). It must start
fast: nothing heavy is imported (no Qt, no SQLAlchemy, no cryptography); a test checks it.
"""

from __future__ import annotations

import argparse
from datetime import date

from journal_app.cli.base import Add
from journal_app.cli.io import EXIT_OK, print_json
from journal_app.core.errors import UsageError


def cmd_support(args: argparse.Namespace) -> int:
    from journal_app.core.practice import (
            checked_text,
            crisis_sentence,
            normalize_country,
            support_list,
            system_country,
        )

    if args.country is not None:
        try:
            wanted: str | None = normalize_country(args.country)
        except ValueError:
            raise UsageError("A country is a two-letter ISO 3166 code, such as GB (or UK), "
                             "US, CA, IE or AU.") from None
    else:
        wanted = system_country()
    support = support_list()
    if args.json:
        print_json(support.to_json(wanted))
        return EXIT_OK
    code = support.resolve(wanted)
    today = date.today()
    out = [crisis_sentence(code), ""]
    for r in support.for_country(code):
        out.append(r.name)
        out.append("  " + " · ".join(x for x in (r.contact, r.hours) if x))
        if r.url:
            out.append(f"  {r.url}")
        out.append(f"  {r.description}")
        checked = checked_text(r, today)
        if checked:
            out.append(f"  {checked} by {r.checked_by}" if r.verified else f"  {checked}")
        out.append("")
    out.append(support.disclaimer)
    print("\n".join(out))
    return EXIT_OK


def register(add: Add) -> None:
    p = add("support", cmd_support,
            "show support and crisis lines (no journal or passphrase needed)")
    p.add_argument("--country", metavar="CC",
                   help="a two-letter ISO 3166 code (GB, or UK; US, CA, IE, AU); default: the "
                   "system locale's country, else the international entry")
