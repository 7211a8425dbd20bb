#!/usr/bin/env bash
# Roster as the clients people generate and the libraries they use see it: generates the Python
# client (openapi-python-client) and the TypeScript types (openapi-typescript) from
# openapi/openapi.json, type-checks code that uses those types (tsc), then drives a running
# Roster with the generated client, with a standard OAuth2 library (Authlib), and receives its
# webhooks with the Standard Webhooks reference verifier (standardwebhooks). CI runs it
# after the tests. Needs Python 3 with pip, Node.js with npx, and network access to PyPI and the
# npm registry.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/clients"
WORK="$ROOT/target/clients"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
mkdir -p "$WORK"

say() { printf '\n==> %s\n' "$*"; }

say "tools: openapi-python-client, Authlib, standardwebhooks (in $WORK/venv)"
[ -x "$WORK/venv/bin/python" ] || python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --disable-pip-version-check \
  "openapi-python-client==0.29.*" "authlib==1.*" "requests==2.*" "standardwebhooks==1.*" </dev/null

say "generating the Python client"
rm -rf "$WORK/python"
mkdir -p "$WORK/python"
(cd "$WORK/python" && "$WORK/venv/bin/openapi-python-client" generate \
  --path "$ROOT/openapi/openapi.json" --meta none --output-path roster_client \
  --config "$HERE/generator-config.yml" </dev/null)
(cd "$WORK/python" && "$WORK/venv/bin/python" -c "import roster_client.api.auth.create_token, roster_client.models")

say "generating the TypeScript types"
(cd "$WORK" && npx --yes openapi-typescript@7 "$ROOT/openapi/openapi.json" -o "$WORK/roster.d.ts" </dev/null)
grep -q '"/v1/organizations/{org}/events"' "$WORK/roster.d.ts"

say "type-checking code that uses them (typed_use.ts, tsc --noEmit)"
cp "$HERE/typed_use.ts" "$WORK/typed_use.ts"
(cd "$WORK" && npx --yes -p typescript@5 tsc --noEmit --strict --target es2020 \
  --moduleResolution node typed_use.ts </dev/null)

say "starting Roster on a fresh SQLite database"
(cd "$ROOT" && cargo build -q -p roster-api)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rm -f "$WORK/clients.db" "$WORK/clients.db-wal" "$WORK/clients.db-shm"
"$TARGET/debug/roster" serve --database-url "sqlite://$WORK/clients.db" \
  --listen "127.0.0.1:$PORT" --log warn \
  --admin-email admin@clients.test --admin-password "correct horse battery" \
  --webhooks-allow-private-targets >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

say "the generated Python client"
PYTHONPATH="$WORK/python" "$WORK/venv/bin/python" "$HERE/flow.py" "http://127.0.0.1:$PORT"
say "a standard OAuth2 client library"
"$WORK/venv/bin/python" "$HERE/oauth2_client.py" "http://127.0.0.1:$PORT"
say "webhook messages verified by the Standard Webhooks reference library"
"$WORK/venv/bin/python" "$HERE/webhooks.py" "http://127.0.0.1:$PORT" admin@clients.test "correct horse battery"
