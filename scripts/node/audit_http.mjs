// Runs graphql-http's auditServer (the GraphQL-over-HTTP conformance audit) against a running
// Switchboard: node audit_http.mjs URL, with the API key in SWITCHBOARD_API_KEY. Prints one
// line per audit and a JSON summary last; exits 1 when any audit is an error or a warning.
import { auditServer } from "graphql-http";

const url = process.argv[2];
const key = process.env.SWITCHBOARD_API_KEY;
if (!url || !key) {
  console.error("usage: SWITCHBOARD_API_KEY=sb_... node audit_http.mjs http://127.0.0.1:PORT/graphql");
  process.exit(2);
}

// Every request carries the key, as any client of this API must.
async function fetchWithKey(input, init = {}) {
  const headers = new Headers(init.headers ?? {});
  headers.set("X-API-Key", key);
  return fetch(input, { ...init, headers });
}

const results = await auditServer({ url, fetchFn: fetchWithKey });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] += 1;
  const reason = result.status === "ok" ? "" : ` - ${result.reason}`;
  console.log(`${result.status.padEnd(6)} ${result.id} ${result.name}${reason}`);
}
console.log(JSON.stringify(counts));
process.exit(counts.error || counts.warn ? 1 : 0);
