"""Why a request leaves the compiled path for Strawberry's executor."""


class NotCompilable(Exception):
    """The plan cannot answer this request exactly; the general executor must.

    Raised for documents the compiler does not take (introspection, unknown fields, errors
    that depend on the data) and for every request-time problem (a bad variable, cursor or
    filter value): the general path then produces exactly its usual errors."""
