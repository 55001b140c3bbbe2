#!/usr/bin/env bash
# Lab benchmark on the postgres profile: the gateway jar on a fresh PostgreSQL database (dropped
# afterwards) with poll-after 1 s, the lab intent imported, then `installer lab` for MACHINES clones
# of the six lab machines with --operator-install (the operator's part: inspect, commission and
# request the install of machines no enrollment rule installs). Prints the lab's summary (the last
# lines give total time and machines/s). Lab mode (deployer.security.enabled=false): the installer's lab
# acts as operator without an API token.
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
java -jar "$gateway" --spring.profiles.active=postgres --server.port="$port" --logging.level.root=WARN \
  --spring.datasource.url="jdbc:postgresql://$pg_host:5432/$db" --deployer.data-dir="$work/data" \
  --deployer.bootstrap.poll-after-seconds=1 --deployer.bootstrap.https-port=0 --deployer.security.enabled=false >"$work/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 180); do
  curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break
  kill -0 "$gw_pid" 2>/dev/null || { cat "$work/gateway.log"; exit 1; }
  sleep 1
done
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' \
  --data-binary @nix/examples/lab/expected-cluster-state.json "http://127.0.0.1:$port/api/v1/cluster/intent"
echo "gateway: postgres database $db, port $port; lab: $machines machines, concurrency $concurrency"
java -jar "$installer" lab --deployer "http://127.0.0.1:$port" --operator-install --machines "$machines" \
  --concurrency "$concurrency" --timeout 1800 --quiet --work-dir "$work/lab"
