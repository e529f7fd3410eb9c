"""Small value types read from a call's or number's columns."""

from typing import Any

import strawberry


@strawberry.type(description="Fone Dynamics Attribution_* values.")
class Attribution:
    source: str | None = strawberry.field(description="`Attribution_Source`.")
    medium: str | None = strawberry.field(description="`Attribution_Medium`.")
    campaign: str | None = strawberry.field(description="`Attribution_Campaign`.")
    content: str | None = strawberry.field(description="`Attribution_Content`.")


def attribution_of(obj: Any) -> Attribution:
    return Attribution(
        source=obj.attribution_source,
        medium=obj.attribution_medium,
        campaign=obj.attribution_campaign,
        content=obj.attribution_content,
    )
