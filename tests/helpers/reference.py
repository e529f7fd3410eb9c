"""The reference documents frontends send: Q1-Q6 and the Company document from
../shared/reference-queries.graphql, the dashboards Q7-Q8 from the repository's queries/."""

from pathlib import Path

import helpers.factories as f

REPO = Path(__file__).resolve().parents[2]
SHARED_DOCUMENTS = f.SHARED / "reference-queries.graphql"
DASHBOARD_DOCUMENTS = REPO / "queries" / "dashboards.graphql"


def reference_document() -> str:
    """Every reference operation in one document (pick one with operationName)."""
    return "\n".join(path.read_text() for path in (SHARED_DOCUMENTS, DASHBOARD_DOCUMENTS))
