#!/usr/bin/env bash
# A tour of the deployer (README, "A tour"): the gateway jar on its embedded default with a fresh data dir,
# the lab intent imported, an operator token for you, the lab's six simulated machines with their nix-agents
# (enroll, plan, install, first boot: ACTIVE), then a rollout of all six; then the gateway stays up to explore
# until Ctrl-C. Needs the README's build step (mvn -B -q -DskipTests package), java 17, curl and python3.
set -uo pipefail
cd "$(dirname "$0")"

usage() {
  cat <<'EOF'
Usage: ./tour.sh [--port N] [--https-port N] [--data-dir DIR] [--timeout SECONDS] [--exit-when-done]

  --port N           operator port: the API and the console, on 127.0.0.1 (default 8080)
  --https-port N     machine-facing HTTPS port: bootstrap and the nix-agents (default 8443)
  --data-dir DIR     the gateway's data dir and the tour's logs, wiped at start (default ./data-tour);
                     an existing non-empty dir is wiped only if an earlier tour made it
  --timeout SECONDS  give up when the rollout has not succeeded after this long (default 900)
  --exit-when-done   stop the lab and the gateway once the rollout succeeded, exit 0 (tests, CI);
                     without it the gateway keeps running until Ctrl-C
EOF
}

PORT=8080
HTTPS_PORT=8443
DATA=./data-tour
TIMEOUT=900
EXIT_WHEN_DONE=false
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT=${2:?--port needs a number}; shift 2 ;;
    --https-port) HTTPS_PORT=${2:?--https-port needs a number}; shift 2 ;;
    --data-dir) DATA=${2:?--data-dir needs a directory}; shift 2 ;;
    --timeout) TIMEOUT=${2:?--timeout needs seconds}; shift 2 ;;
    --exit-when-done) EXIT_WHEN_DONE=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "tour: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$PORT" "$HTTPS_PORT" "$TIMEOUT"; do
  case "$n" in ''|*[!0-9]*) echo "tour: not a number: $n" >&2; exit 2 ;; esac
done

GATEWAY_JAR=api-gateway/target/ultracloud-deployer.jar
INSTALLER_JAR=installer-client/target/ultracloud-installer.jar
INTENT=nix/examples/lab/expected-cluster-state.json
for jar in "$GATEWAY_JAR" "$INSTALLER_JAR"; do
  [ -f "$jar" ] || { echo "tour: $jar is missing: build first with  mvn -B -q -DskipTests package" >&2; exit 2; }
done
for tool in java curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "tour: needs $tool on the PATH" >&2; exit 2; }
done

START=$SECONDS
say() { printf '[tour %3ds] %s\n' $((SECONDS - START)) "$*"; }
fail() { say "FAILED: $*"; exit 1; }

D=http://127.0.0.1:$PORT
if curl -s -o /dev/null --max-time 2 "$D/"; then
  echo "tour: something already answers on $D (another gateway?): stop it or pick another --port" >&2; exit 2
fi

# ---- the data dir: fresh every time, but never wipe what a tour did not make
case "$DATA" in /*) ;; *) DATA=$PWD/${DATA#./} ;; esac # H2 takes only an absolute (or ./) path
if [ -d "$DATA" ] && [ -n "$(ls -A "$DATA")" ] && [ ! -f "$DATA/.tour" ]; then
  echo "tour: $DATA is not empty and was not made by a tour; not wiping it (use --data-dir)" >&2; exit 2
fi
rm -rf "$DATA" && mkdir -p "$DATA" && touch "$DATA/.tour" || exit 2
REL=${DATA#"$PWD"/} # for messages

# ---- child processes: stopped on every exit, Ctrl-C or SIGTERM
GATEWAY_PID=
LAB_PID=
stop_children() {
  trap - EXIT INT TERM
  if [ -n "$LAB_PID" ] && kill -0 "$LAB_PID" 2>/dev/null; then
    kill -TERM "$LAB_PID" 2>/dev/null
    for _ in $(seq 1 20); do kill -0 "$LAB_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$LAB_PID" 2>/dev/null
    say "lab stopped; its rollout summary:"
    sed -n '/^rollout summary/,$p' "$DATA/lab.log"
  fi
  if [ -n "$GATEWAY_PID" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
    kill -TERM "$GATEWAY_PID" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$GATEWAY_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$GATEWAY_PID" 2>/dev/null
    say "gateway stopped (its data stays in $REL)"
  fi
}
trap 'stop_children' EXIT
trap 'echo; stop_children; exit 130' INT
trap 'stop_children; exit 143' TERM
trap '' PIPE # a closed stdout (./tour.sh | tee, Ctrl-C) must not end the script before it stopped its children

# ---- the gateway
java -Xmx512m -jar "$GATEWAY_JAR" --server.address=127.0.0.1 --server.port="$PORT" --deployer.data-dir="$DATA" \
  --deployer.bootstrap.https-port="$HTTPS_PORT" --deployer.bootstrap.poll-after-seconds=1 \
  --spring.lifecycle.timeout-per-shutdown-phase=5s >"$DATA/gateway.log" 2>&1 & # a tour need not drain for 30 s
GATEWAY_PID=$!
say "gateway starting on $D (embedded H2 in $REL, log $REL/gateway.log)"
until curl -s --max-time 2 "$D/actuator/health" | grep -q '"UP"'; do
  kill -0 "$GATEWAY_PID" 2>/dev/null || { tail -20 "$DATA/gateway.log"; fail "the gateway exited (log $REL/gateway.log)"; }
  [ $((SECONDS - START)) -lt 300 ] || fail "the gateway was not healthy within 300 s (log $REL/gateway.log)"
  sleep 1
done
say "gateway up"
ADMIN="Authorization: Bearer $(cat "$DATA/admin-token")" # written by the first start

# curl that answers the body and fails on an HTTP error, saying which
api() { # METHOD PATH AUTH [curl args…]
  local method=$1 path=$2 auth=$3 out code
  shift 3
  out=$(curl -s -w '\n%{http_code}' -X "$method" -H "$auth" "$@" "$D$path") || return 1
  code=${out##*$'\n'}
  out=${out%$'\n'*}
  if [ "$code" -ge 300 ]; then echo "$method $path answered $code: $out" >&2; return 1; fi
  printf '%s' "$out"
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

# ---- the lab's intent, and a token for you
generation=$(api PUT /api/v1/cluster/intent "$ADMIN" -H 'content-type: application/json' --data-binary @"$INTENT" \
  | json 'print(d["generation"])') || fail "the intent import was refused"
say "lab intent imported ($INTENT): generation $generation"
TOKEN=$(api POST /api/v1/admin/tokens "$ADMIN" -H 'content-type: application/json' \
  -d '{"name":"tour","role":"operator","expiresIn":"1d"}' | json 'print(d["token"])') || fail "no operator token"
( umask 077 && printf '%s\n' "$TOKEN" >"$DATA/tour-token" )
OP="Authorization: Bearer $TOKEN"
echo
echo "  Console:  $D/"
echo "  Token:    $TOKEN"
echo "            (role operator, valid 1 day, also in $REL/tour-token; the admin token is in $REL/admin-token)"
echo "  Try:      curl -s -H 'Authorization: Bearer $TOKEN' $D/api/v1/machines"
echo

# The intent's own hostDeployments start now and find no ACTIVE machine: let them finish first, so the
# rollout below is the only one that touches the machines.
expected=$(json 'print(len(d["hostDeployments"]))' <"$INTENT")
until api GET /api/v1/host-deployments "$OP" | json "
items = d['items']
sys.exit(0 if len(items) >= $expected and all(i['state'] not in ('PENDING', 'IN_PROGRESS') for i in items) else 1)"; do
  [ $((SECONDS - START)) -lt "$TIMEOUT" ] || fail "the intent's host deployments did not finish"
  sleep 1
done
say "the intent's $expected host deployments finished: no machine was ACTIVE yet"

# ---- the lab: six simulated machines boot the installer, then run the nix-agent
mkdir -p "$DATA/lab"
java -jar "$INSTALLER_JAR" lab --deployer "$D" --operator-install \
  --join-secret-file "$DATA/join-secret" --operator-token-file "$DATA/admin-token" \
  --work-dir "$DATA/lab" --commands "$DATA/lab/commands.jsonl" \
  --agents --agent-url "https://localhost:$HTTPS_PORT" --timeout 86400 \
  >"$DATA/lab.log" 2>&1 &
LAB_PID=$!
say "lab started: 6 machines boot the installer (log $REL/lab.log)"

# hostname (or machine id) and state of every machine, one line; exit 0 once all six are ACTIVE
MACHINES='
items = d["items"]
print(", ".join("%s %s" % (m.get("hostname") or m["machineId"][:8], m["state"]) for m in items) or "none yet")
sys.exit(0 if len(items) == 6 and all(m["state"] == "ACTIVE" for m in items) else 3)'
last=
while :; do
  line=$(api GET '/api/v1/machines?sort=hostname&size=50' "$OP" | json "$MACHINES")
  rc=$?
  [ -n "$line" ] && [ "$line" != "$last" ] && say "machines: $line" && last=$line
  [ $rc -eq 0 ] && break
  kill -0 "$LAB_PID" 2>/dev/null || { tail -20 "$DATA/lab.log"; fail "the lab exited (log $REL/lab.log)"; }
  [ $((SECONDS - START)) -lt "$TIMEOUT" ] || fail "not every machine ACTIVE within $TIMEOUT s (log $REL/lab.log)"
  sleep 1
done
say "all 6 machines ACTIVE: installed, and each agent confirmed its first boot"

# ---- a rollout of all six, two at a time, every machine healthy
ROLLOUT=tour-rollout
api POST /api/v1/host-deployments "$OP" -H 'content-type: application/json' -d '{
  "id": "'$ROLLOUT'", "selector": {"pools": ["control-plane", "general", "storage"]},
  "system": {"storePath": "/nix/store/0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d-nixos-system-tour"},
  "batchSize": 2, "maxUnavailable": 2,
  "activation": {"confirmTimeoutSeconds": 5, "healthCheck": {"type": "systemd", "units": ["sshd.service"]}},
  "failureThreshold": 1}' >/dev/null || fail "the rollout was refused"
say "rollout $ROLLOUT created: /nix/store/0d0d…-nixos-system-tour on all six, batches of 2"
STATUS='
c = d["counts"]
print("%s: %d of %d rolled out, %d activating, %d failed%s" % (d["state"], c["rolledOut"], c["targets"],
      c["activating"], c["failed"], (" (" + d["reason"] + ")") if d.get("reason") else ""))
sys.exit({"SUCCEEDED": 0, "FAILED": 4, "ABORTED": 4}.get(d["state"], 3))'
last=
while :; do
  line=$(api GET "/api/v1/host-deployments/$ROLLOUT?minVersion=0" "$OP" | json "$STATUS") # 0: the create's version
  rc=$?
  [ -n "$line" ] && [ "$line" != "$last" ] && say "rollout $ROLLOUT $line" && last=$line
  [ $rc -eq 0 ] && break
  [ $rc -eq 4 ] && fail "rollout $ROLLOUT did not succeed"
  [ $((SECONDS - START)) -lt "$TIMEOUT" ] || fail "rollout $ROLLOUT not done within $TIMEOUT s"
  sleep 1
done
line=$(api GET '/api/v1/machines?sort=hostname&size=50' "$OP" | json "$MACHINES")
say "machines: $line"
say "rollout $ROLLOUT SUCCEEDED: every machine runs the new system and passed its health check"

if $EXIT_WHEN_DONE; then
  exit 0
fi
echo
echo "The gateway keeps running: open $D/ and sign in with the token above, or try"
echo "  java -jar deployer-ctl/target/deployer-ctl.jar machines list --server $D --token-file $REL/tour-token"
echo "  java -jar deployer-ctl/target/deployer-ctl.jar rollouts show $ROLLOUT --server $D --token-file $REL/tour-token"
echo "Ctrl-C stops the lab and the gateway."
while kill -0 "$GATEWAY_PID" 2>/dev/null; do
  wait "$GATEWAY_PID" 2>/dev/null
done
say "the gateway exited (log $REL/gateway.log)"
exit 1
