// Switchboard's GraphiQL page: GraphiQL with the explorer plugin, from the assets served
// beside this file (no CDN), posting to the page's own URL. The server writes the config
// (the document to open with, and request headers to start with, e.g. the demo key) into a JSON block of the page, so no
// inline script is needed and the page runs under a same-origin Content-Security-Policy.
(function () {
  const config = JSON.parse(document.getElementById("graphiql-config").textContent);
  const parameters = Object.fromEntries(new URLSearchParams(window.location.search));
  const url = window.location.href.split("?")[0];

  function updateURL(changes) {
    Object.assign(parameters, changes);
    const search = new URLSearchParams(
      Object.entries(parameters).filter(([, value]) => Boolean(value)),
    ).toString();
    history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
  }

  const fetcher = GraphiQL.createFetcher({ url });
  const explorer = GraphiQLPluginExplorer.explorerPlugin();

  function Switchboard() {
    const [query, setQuery] = React.useState(parameters.query);
    const [variables, setVariables] = React.useState(parameters.variables);
    const [headers, setHeaders] = React.useState(parameters.headers || config.headers);
    return React.createElement(GraphiQL, {
      fetcher,
      plugins: [explorer],
      defaultQuery: config.query,
      query,
      variables,
      headers,
      onEditQuery(value) {
        setQuery(value);
        updateURL({ query: value });
      },
      onEditVariables(value) {
        setVariables(value);
        updateURL({ variables: value });
      },
      onEditHeaders: setHeaders,
      defaultEditorToolsVisibility: true,
      inputValueDeprecation: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
    });
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(Switchboard),
  );
})();
