"""Refused documents are not logged as server errors; internal errors are, once, with an id."""

import logging

import pytest

from helpers.graphql_client import Gql


def test_client_errors_are_not_logged_as_errors(
    gql_errors: Gql, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        gql_errors('{ calls(first: 2, after: "nope") { nodes { id } } }')
        gql_errors("{ calls(first: 2) { nodes { noSuchField } } }")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
