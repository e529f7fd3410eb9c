"""schema.graphql at the repo root is exactly what `switchboard schema` prints."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_matches_the_code() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "app.cli", "schema"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    committed = (ROOT / "schema.graphql").read_text()
    assert printed == committed, "schema.graphql drifted: run `switchboard schema > schema.graphql`"


def test_every_type_and_field_is_described() -> None:
    from graphql import GraphQLInputObjectType, GraphQLObjectType

    from app.graphql.schema import schema

    missing = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or not isinstance(
            graphql_type, GraphQLObjectType | GraphQLInputObjectType
        ):
            continue
        if not graphql_type.description:
            missing.append(name)
        missing += [
            f"{name}.{f}" for f, field in graphql_type.fields.items() if not field.description
        ]
    assert missing == []
