#!/usr/bin/env bash
# Browser tests of the dashboard against a real `dyad serve` on a temp SQLite store.
#   tests/browser/run.sh DYAD_BINARY        (web/dist must be built: cd web && npm ci && npm run build)
#   tests/browser/run.sh --mock             (against web/dev/mock-server.mjs; for front-end work only)
# Screenshots go to $DYAD_ARTIFACTS (default build/test-artifacts/). Exit code = the tests' result.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${1:?usage: tests/browser/run.sh DYAD_BINARY | --mock}"
artifacts="${DYAD_ARTIFACTS:-$repo/build/test-artifacts}"
mkdir -p "$artifacts"
artifacts="$(cd "$artifacts" && pwd)"

if [ ! -f "$repo/web/dist/index.html" ]; then
  echo "run.sh: $repo/web/dist is not built (cd web && npm ci && npm run build)" >&2
  exit 2
fi
[ -x /usr/bin/chromium ] || [ -n "${CHROMIUM:-}" ] || { echo "run.sh: /usr/bin/chromium missing (apt-get install chromium)" >&2; exit 2; }

if [ ! -d "$here/node_modules/playwright-core" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "run.sh: the server did not stop on SIGTERM within 5 s; killing it" >&2
      kill -9 "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
token="test-token"
burst="$repo/testdata/monitor/burst.jsonl"
burst_flag=0

if [ "$bin" = "--mock" ]; then
  node "$repo/web/dev/mock-server.mjs" --port "$port" --token "$token" --web "$repo/web/dist" \
    --extra "$here/fixtures/xss.jsonl" >"$artifacts/serve.log" 2>&1 &
  server_pid=$!
  burst_flag=1   # the mock forces one RUS-UZB alert to fire
else
  inputs=("$repo/data/sample/corpus.jsonl")
  if [ -f "$burst" ]; then inputs+=("$burst"); burst_flag=1; fi
  inputs+=("$here/fixtures/xss.jsonl")
  "$bin" ingest --db "$tmp/t.db" "${inputs[@]}" >"$artifacts/ingest.log" 2>&1 || { cat "$artifacts/ingest.log" >&2; exit 1; }
  # One `dyad watch` cycle over a folder and a feed that refuses connections, so the Watch page
  # has a healthy and a failing source, an alert and its delivery (to an Atom file).
  mkdir -p "$tmp/inbox"
  printf '%s\n' '{"id":"watch-1","date":"2025-03-03","url":"https://example.kz/1","text":"Kazakh police detained 15 migrants from Kyrgyzstan in Almaty."}' > "$tmp/inbox/kz.jsonl"
  cat > "$tmp/watch.toml" <<TOML
populations = ["KGZ in KAZ"]
[fetch]
retries = 0
timeout_seconds = 2
[[source]]
name = "inbox"
kind = "folder"
url = "$tmp/inbox"
[[source]]
name = "offline-feed"
kind = "feed"
url = "http://127.0.0.1:9/feed.xml"
[[rule]]
name = "kgz-in-kaz-detentions"
kind = "codes"
population = "KGZ in KAZ"
codes = ["173"]
[[notifier]]
name = "feed"
kind = "atom"
path = "$tmp/alerts.atom"
TOML
  rc=0
  "$bin" watch --once --today 2025-03-05 --config "$tmp/watch.toml" --db "$tmp/t.db" >"$artifacts/watch.log" 2>&1 || rc=$?
  # 1 = a source failed: the offline feed, as intended.
  [ "$rc" -eq 1 ] || { echo "run.sh: dyad watch --once exited $rc" >&2; cat "$artifacts/watch.log" >&2; exit 1; }
  "$bin" serve --db "$tmp/t.db" --port "$port" --token "$token" --web "$repo/web/dist" --user-dict "$tmp/user-dict.txt" \
    >"$artifacts/serve.log" 2>&1 &
  server_pid=$!
fi

url="http://127.0.0.1:$port/"
for _ in $(seq 1 150); do
  if node -e 'fetch(process.argv[1]+"api/health").then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$url" 2>/dev/null; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "run.sh: the server exited:" >&2; cat "$artifacts/serve.log" >&2; exit 1; fi
  sleep 0.2
done

echo "browser tests against $url (artifacts in $artifacts)"
cd "$here"
status=0
if [ "$bin" != "--mock" ]; then export DYAD_BINARY="$bin" DYAD_DB="$tmp/t.db"; fi
DYAD_URL="$url" DYAD_TOKEN="$token" DYAD_ARTIFACTS="$artifacts" DYAD_BURST="$burst_flag" \
  node --test --test-reporter=spec dashboard.test.mjs || status=$?
exit $status
