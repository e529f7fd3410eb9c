"""Account constants shared by the request path."""

NO_ACCOUNT = (
    0  # no row has id 0: a request without an account sees empty lists, never another's data
)
