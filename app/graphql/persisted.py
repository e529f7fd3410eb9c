"""Automatic persisted queries (the Apollo convention).

A client sends
`extensions.persistedQuery = {version: 1, sha256Hash}` without the query; an unknown hash is
answered PERSISTED_QUERY_NOT_FOUND, the client resends with the query, and the server checks the
hash and keeps the document. Parsing and validation of repeated documents are cached anyway
(ParserCache and QueryLimits), so this saves the bytes on the wire."""

import hashlib
from collections import OrderedDict
from dataclasses import replace
from typing import Any

from strawberry.http import GraphQLRequestData


class PersistedQueryError(Exception):
    """A persisted-query request that cannot run; `code` goes into extensions.code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class PersistedQueries:
    """Documents by SHA-256, least recently used dropped first (per process)."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self._documents: OrderedDict[str, str] = OrderedDict()

    def resolve(self, request: GraphQLRequestData) -> GraphQLRequestData:
        """The request with its query filled in from, or remembered in, the store."""
        wanted = _requested_hash(request.extensions)
        if wanted is None:
            return request
        if request.query is None:
            document = self._documents.get(wanted)
            if document is None:
                raise PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
            self._documents.move_to_end(wanted)
            return replace(request, query=document)
        if hashlib.sha256(request.query.encode()).hexdigest() != wanted:
            raise PersistedQueryError(
                "extensions.persistedQuery.sha256Hash: does not match the query", "BAD_USER_INPUT"
            )
        self._remember(wanted, request.query)
        return request

    def _remember(self, digest: str, document: str) -> None:
        self._documents[digest] = document
        self._documents.move_to_end(digest)
        while len(self._documents) > self.max_size:
            self._documents.popitem(last=False)


def _requested_hash(extensions: dict[str, Any] | None) -> str | None:
    """The hash a request names, or None; a malformed persistedQuery is BAD_USER_INPUT."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError(
            "extensions.persistedQuery: only version 1 is supported",
            "PERSISTED_QUERY_NOT_SUPPORTED",
        )
    digest = persisted.get("sha256Hash")
    if (
        not isinstance(digest, str)
        or len(digest) != 64
        or not all(c in "0123456789abcdef" for c in digest)
    ):
        raise PersistedQueryError(
            "extensions.persistedQuery.sha256Hash: must be 64 lowercase hex digits",
            "BAD_USER_INPUT",
        )
    return digest
