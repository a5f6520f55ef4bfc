#!/usr/bin/env bash
# Starts the built service on the embedded defaults twice and checks it answers.
set -euo pipefail
data_dir="$1"
port=3917
log=$(mktemp)

start() {
  DATA_DIR="$data_dir" PORT=$port node dist/src/main.js >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  cat "$log"
  echo "service did not start" >&2
  return 1
}

stop() {
  kill -TERM "$pid"
  wait "$pid" || true
}

start
curl -fsS "http://127.0.0.1:$port/api/health/ready" | grep -q '"status":"ok"'
curl -fsS "http://127.0.0.1:$port/docs" | grep -qi swagger
curl -fsS "http://127.0.0.1:$port/docs-json" | grep -q '"openapi":"3'
stop
secret_before=$(cat "$data_dir/secret_key")
start
test "$(cat "$data_dir/secret_key")" = "$secret_before"
curl -fsS "http://127.0.0.1:$port/api/health/ready" | grep -q '"status":"ok"'
stop
echo "smoke passed"
