"""Small value types read from a call's or number's columns."""

from typing import Any

import strawberry


@strawberry.type(description="Fone Dynamics Attribution_* values.")
class Attribution:
    source: str | None = strawberry.field(description="`Attribution_Source`.")
    medium: str | None = strawberry.field(description="`Attribution_Medium`.")
    campaign: str | None = strawberry.field(description="`Attribution_Campaign`.")
    content: str | None = strawberry.field(description="`Attribution_Content`.")


# Each field of an embedded value type and the parent's column it reads.
ATTRIBUTION_COLUMNS = {
    "source": "attribution_source",
    "medium": "attribution_medium",
    "campaign": "attribution_campaign",
    "content": "attribution_content",
}


def embedded(cls: type, columns: dict[str, str], parent: Any) -> Any:
    """`cls` built from the parent's `columns`."""
    return cls(**{name: getattr(parent, column) for name, column in columns.items()})


def embeds(columns: dict[str, str]) -> Any:
    """Mark a resolver that builds a value type from its parent's `columns` (the compiler
    reads the mark)."""

    def mark(function: Any) -> Any:
        function.embedded_columns = columns
        return function

    return mark


def attribution_of(obj: Any) -> Attribution:
    return embedded(Attribution, ATTRIBUTION_COLUMNS, obj)  # type: ignore[no-any-return]
