#!/usr/bin/env bash
# Lab benchmark on the postgres profile: the gateway jar on a fresh PostgreSQL database (dropped
# afterwards) with poll-after 1 s, then `installer lab` for MACHINES clones of the six lab machines.
# LAB_ENROLL=rules (default): the lab intent with every enrollment rule automatic (inspect, commission,
# install; no maxCount) and a last catch-all rule, so every clone is enrolled and installed by the deployer
# itself, as Ironic's enroll → active is; LAB_ENROLL=operator: the lab intent as it is, and the lab acts as the
# operator (--operator-install: inspect, commission and request the install of machines no rule installs).
# Prints the lab's summary (the last lines give total time and machines/s). Lab mode
# (deployer.security.enabled=false): the installer's lab acts as operator without an API token.
# GATEWAY_JAVA_OPTS go to the gateway JVM (e.g. a JFR recording for bench/profile.py).
# Usage: bench/lab.sh [MACHINES] [CONCURRENCY]   (defaults: 200 50)
set -euo pipefail
cd "$(dirname "$0")/.."
machines=${1:-200}
concurrency=${2:-50}
pg_host=${PGHOST:-127.0.0.1}
db="deployer_lab_$$"
gateway=api-gateway/target/ultracloud-deployer.jar
installer=installer-client/target/ultracloud-installer.jar
[ -f "$gateway" ] && [ -f "$installer" ] || mvn -q -B -DskipTests package
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
gw_pid=
cleanup() {
  [ -n "$gw_pid" ] && kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null || true
  psql -h "$pg_host" -U postgres -d test -qc "drop database if exists $db with (force)" || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -h "$pg_host" -U postgres -d test -qc "create database $db"
java ${GATEWAY_JAVA_OPTS:-} -jar "$gateway" --spring.profiles.active=postgres --server.port="$port" --logging.level.root=WARN \
  --spring.datasource.url="jdbc:postgresql://$pg_host:5432/$db" --deployer.data-dir="$work/data" \
  --deployer.bootstrap.poll-after-seconds=1 --deployer.bootstrap.https-port=0 --deployer.security.enabled=false >"$work/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 180); do
  curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break
  kill -0 "$gw_pid" 2>/dev/null || { cat "$work/gateway.log"; exit 1; }
  sleep 1
done
enroll=${LAB_ENROLL:-rules}
operator=()
if [ "$enroll" = operator ]; then
  cp nix/examples/lab/expected-cluster-state.json "$work/intent.json"
  operator=(--operator-install)
else
  python3 - nix/examples/lab/expected-cluster-state.json "$work/intent.json" <<'PY'
import json, sys
intent = json.load(open(sys.argv[1]))
for rule in intent["enrollmentRules"]:
    rule.update(autoInspect=True, autoCommission=True, autoInstall=True, maxCount=None)
# the clones of the three control-plane boxes, which the intent names one by one (nodes), by their products
intent["enrollmentRules"].append({"name": "bench-control-plane", "description": "the benchmark's control-plane clones",
    "match": {"dmi": {"product": {"operator": "<or>", "values": ["SYS-510T-MR", "PowerEdge R6515", "B650D4U"]}}},
    "assign": {"hostnamePattern": "cp-x{index:03}", "firstIndex": 1, "nodeClass": "control-plane",
    "pool": "control-plane", "labels": {}}, "autoInspect": True, "autoCommission": True, "autoInstall": True,
    "maxCount": None})
intent["hostDeployments"] = []
json.dump(intent, open(sys.argv[2], "w"))
PY
fi
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' \
  --data-binary @"$work/intent.json" "http://127.0.0.1:$port/api/v1/cluster/intent" \
  || { echo "the intent was refused:"; curl -s -X PUT -H 'Content-Type: application/json' \
       --data-binary @"$work/intent.json" "http://127.0.0.1:$port/api/v1/cluster/intent"; exit 1; }
echo "gateway: postgres database $db, port $port; lab: $machines machines, concurrency $concurrency, enrollment $enroll"
java -jar "$installer" lab --deployer "http://127.0.0.1:$port" "${operator[@]}" --machines "$machines" \
  --concurrency "$concurrency" --timeout 1800 --quiet --work-dir "$work/lab"
