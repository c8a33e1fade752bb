#!/usr/bin/env bash
# npm run test:docker — the image and the compose example, for real, with a Docker engine:
# build, run (read-only root, named volume), wait for healthy, check answers from the container
# (over HTTPS too, trusting the certificate made in the volume), keep data and certificate across
# a new container, time `docker stop`, run the compose example (the mock, the
# shop backend, the test suite: a subscription on a saved card with the clock moved, refunds, and
# paying through the shop) to exit 0, and
# remove every container, volume and network it made. Prints sizes and timings as it goes.
set -uo pipefail
cd "$(dirname "$0")/.."

fail() { echo "test:docker: FAILED: $*" >&2; exit 1; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  echo "test:docker: no Docker engine is reachable (docker info failed)." >&2
  echo "  On these machines run: bash ../shared/docker/prepare-engine.sh" >&2
  exit 1
fi
COMPOSE=(docker-compose)
command -v docker-compose >/dev/null 2>&1 || COMPOSE=(docker compose)

RUN_ID="fmtest$$"
IMAGE="fatora-mock:test"
VOLUME="${RUN_ID}-data"
CONTAINER="${RUN_ID}-mock"
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
PORT=$(free_port)
# The compose example's shop backend publishes a port too (its success_url's origin).
SHOP_PORT=$(free_port)
[ "$SHOP_PORT" != "$PORT" ] || SHOP_PORT=$(free_port)
# The container serves HTTPS too (docs/https.md): HTTPS_PORT=3443, published here.
HTTPS_HOST_PORT=$(free_port)
while [ "$HTTPS_HOST_PORT" = "$PORT" ] || [ "$HTTPS_HOST_PORT" = "$SHOP_PORT" ]; do HTTPS_HOST_PORT=$(free_port); done
CERT=/tmp/"$RUN_ID"-localhost-cert.pem
BASE="http://127.0.0.1:${PORT}"
KEY='E4B73FEE-F492-4607-A38D-852B0EBC91C9'
SECOND_KEY='9F2D4A61-3B8E-4C7D-A5F0-6E1B2C3D4E5F'

cleanup() {
  docker rm -f "$CONTAINER" >/dev/null 2>&1
  FATORA_MOCK_IMAGE=$IMAGE FATORA_MOCK_PORT=$PORT SHOP_PORT=$SHOP_PORT "${COMPOSE[@]}" -p "$RUN_ID" down -v --remove-orphans >/dev/null 2>&1
  docker volume rm -f "$VOLUME" >/dev/null 2>&1
  rm -f "$CERT"
  return 0
}
trap cleanup EXIT

# --- build ------------------------------------------------------------------------------
t0=$(date +%s%N)
docker build --network host -t "$IMAGE" . >/tmp/"$RUN_ID"-build.log 2>&1 || { tail -30 /tmp/"$RUN_ID"-build.log >&2; fail "docker build"; }
echo "build: $(ms "$t0") ms"
size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
base=$(docker image inspect -f '{{.Size}}' node:20-bookworm-slim 2>/dev/null || echo 0)
app_mb=$(( (size - base) / 1000000 ))
echo "image: $(( size / 1000000 )) MB, of which the app's own layers: ${app_mb} MB (base node:20-bookworm-slim $(( base / 1000000 )) MB)"
[ "$app_mb" -le 60 ] || fail "the app's layers are ${app_mb} MB (> 60 MB)"
[ "$(docker image inspect -f '{{.Config.User}}' "$IMAGE")" = node ] || fail "the image does not run as the node user"

# --- run: read-only root filesystem, named volume ----------------------------------------
start_container() {
  docker run -d --name "$CONTAINER" --read-only -v "$VOLUME":/data -p "127.0.0.1:${PORT}:3000" \
    -e HTTPS_PORT=3443 -p "127.0.0.1:${HTTPS_HOST_PORT}:3443" "$IMAGE" >/dev/null || fail "docker run"
  local t=$(date +%s%N) status=""
  for _ in $(seq 1 150); do
    status=$(docker inspect -f '{{.State.Health.Status}}' "$CONTAINER" 2>/dev/null)
    [ "$status" = healthy ] && break
    sleep 0.2
  done
  [ "$status" = healthy ] || { docker logs "$CONTAINER" >&2; fail "the container did not become healthy (status: $status)"; }
  echo "start to healthy: $(ms "$t") ms"
}

expect() { # expect NAME STATUS BODY curl-args...
  local name=$1 want_status=$2 want_body=$3; shift 3
  local out status body
  out=$(curl -s -w '\n%{http_code}' "$@") || fail "$name: curl failed"
  status=${out##*$'\n'}
  body=${out%$'\n'*}
  [ "$status" = "$want_status" ] || fail "$name: status $status, expected $want_status; body: $body"
  [ -z "$want_body" ] || [ "$body" = "$want_body" ] || fail "$name: body $body, expected $want_body"
  echo "ok - $name"
}

start_container
expect "GET /health" 200 '{"status":"ok"}' "$BASE/health"
expect "the docs' request: client 1024" 200 '{"status":"SUCCESS","client":{"id":1024,"name":"Client Name","address":"Client Address","phone":"Client Phone","email":"client@example.com","note":"Additional notes","notes":"Additional notes"}}' \
  -H "api_key: $KEY" -H 'Content-Type: application/json' "$BASE/v1/clients/1024"
expect "401 without a key" 401 '{"status":"FAILURE","error":{"error_code":"401","description":"Missing api_key header"}}' "$BASE/v1/clients/1024"
expect "404 for another merchant's client" 404 '{"status":"FAILURE","error":{"error_code":"404","description":"Client not found"}}' \
  -H "api_key: $SECOND_KEY" "$BASE/v1/clients/1024"
expect "admin: create client 424242" 201 '{"merchant_id":1,"client":{"id":424242,"name":"Kept On The Volume","address":null,"phone":null,"email":null,"note":null,"notes":null}}' \
  -X POST -H 'content-type: application/json' -d '{"id":424242,"name":"Kept On The Volume"}' "$BASE/__admin/clients"
# HTTPS: the self-signed certificate made in the volume, copied out and trusted as the docs say.
# Not `| grep -q`: it stops reading at the first match, docker logs then dies of SIGPIPE, and
# pipefail reports the pipeline as failed although the line is there.
docker logs "$CONTAINER" 2>&1 | grep -F '"msg":"HTTPS listening at https://localhost:3443 with certificate /data/tls/localhost-cert.pem (SHA-256 ' >/dev/null \
  || { docker logs "$CONTAINER" >&2; fail "no HTTPS start line naming /data/tls/localhost-cert.pem"; }
docker cp "$CONTAINER":/data/tls/localhost-cert.pem "$CERT" >/dev/null || fail "docker cp of the certificate"
expect "HTTPS: client 1024, curl --cacert with the volume's certificate" 200 '{"status":"SUCCESS","client":{"id":1024,"name":"Client Name","address":"Client Address","phone":"Client Phone","email":"client@example.com","note":"Additional notes","notes":"Additional notes"}}' \
  --cacert "$CERT" -H "api_key: $KEY" "https://localhost:${HTTPS_HOST_PORT}/v1/clients/1024"

t=$(date +%s%N)
docker stop "$CONTAINER" >/dev/null || fail "docker stop"
stop_ms=$(ms "$t")
echo "docker stop: ${stop_ms} ms (exit code $(docker inspect -f '{{.State.ExitCode}}' "$CONTAINER"))"
[ "$stop_ms" -lt 2000 ] || fail "docker stop took ${stop_ms} ms (SIGTERM not handled?)"
[ "$(docker inspect -f '{{.State.ExitCode}}' "$CONTAINER")" = 0 ] || fail "the server did not exit 0 on SIGTERM"
docker rm "$CONTAINER" >/dev/null

# --- a new container on the same volume keeps the data -----------------------------------
start_container
expect "client 424242 survived docker rm + a new container" 200 '{"status":"SUCCESS","client":{"id":424242,"name":"Kept On The Volume","address":null,"phone":null,"email":null,"note":null,"notes":null}}' \
  -H "api_key: $KEY" "$BASE/v1/clients/424242"
expect "HTTPS: the certificate on the volume is kept (trusted once)" 200 '{"status":"ok"}' --cacert "$CERT" "https://localhost:${HTTPS_HOST_PORT}/health"
docker rm -f "$CONTAINER" >/dev/null

# --- the compose example ------------------------------------------------------------------
t=$(date +%s%N)
FATORA_MOCK_IMAGE=$IMAGE FATORA_MOCK_PORT=$PORT SHOP_PORT=$SHOP_PORT "${COMPOSE[@]}" -p "$RUN_ID" up --abort-on-container-exit --exit-code-from tests \
  --no-color >/tmp/"$RUN_ID"-compose.log 2>&1
code=$?
grep -E '^tests[-_]1 +[|]' /tmp/"$RUN_ID"-compose.log | sed 's/^/    /'
[ "$code" = 0 ] || { tail -60 /tmp/"$RUN_ID"-compose.log >&2; fail "the compose example exited $code"; }
# A suite that skipped the payment part would still exit 0: make sure it paid.
grep -Eq '^tests[-_]1 +[|] ok - paid on the hosted page' /tmp/"$RUN_ID"-compose.log || fail "the compose example did not pay through the shop backend"
grep -Eq '^tests[-_]1 +[|] ok - refunds: ' /tmp/"$RUN_ID"-compose.log || fail "the compose example did not run the subscription and refunds"
echo "ok - compose example: tests exited 0 ($(ms "$t") ms)"
rm -f /tmp/"$RUN_ID"-build.log /tmp/"$RUN_ID"-compose.log "$CERT"

cleanup
left=$(docker ps -a --filter "name=${RUN_ID}" -q; docker volume ls -q --filter "name=${RUN_ID}"; docker network ls -q --filter "name=${RUN_ID}")
[ -z "$left" ] || fail "left behind: $left"
echo "test:docker: all checks passed"
