// Prints graphql-js's getIntrospectionQuery() document: `default` (no options, what
// graphql-codegen and most clients send), `graphiql` (GraphiQL 3's options) or `full`
// (every option graphql 16 has). tests/fixtures/introspection/ holds the printed documents.
import { getIntrospectionQuery } from "graphql";

const VARIANTS = {
  default: {},
  graphiql: { inputValueDeprecation: true, schemaDescription: false },
  full: {
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
    oneOf: true,
  },
};

const name = process.argv[2] ?? "default";
if (!(name in VARIANTS)) {
  console.error(`unknown variant ${name}; one of ${Object.keys(VARIANTS).join(", ")}`);
  process.exit(2);
}
process.stdout.write(getIntrospectionQuery(VARIANTS[name]) + "\n");
