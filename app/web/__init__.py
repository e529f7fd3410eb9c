"""The web server: the Starlette app, its ASGI entry points, the GraphQL view, authentication,
body limits and logs."""
