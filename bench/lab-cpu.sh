#!/usr/bin/env bash
# Where a lab install's CPU goes: the gateway jar on a fresh PostgreSQL database (lab mode, poll-after 1 s,
# dropped afterwards), the lab intent imported, then `installer lab --operator-install` for MACHINES clones
# (50 in flight), with the nix-agent on every installed machine when AGENTS=yes (the lab then runs until
# its 100 s timeout). Prints the lab's summary line, and the gateway's CPU time (/proc/<pid>/stat, from
# after its start-up to the lab's end) beside the whole machine's busy time over the same span.
# GATEWAY_JAVA_OPTS go to the gateway JVM (e.g. -XX:TieredStopAtLevel=1). docs/benchmarks.md, section 4.
# Usage: [GATEWAY_JAVA_OPTS=…] bench/lab-cpu.sh [MACHINES] [yes|no]      (defaults: 100 no)
set -euo pipefail
cd "$(dirname "$0")/.."
machines=${1:-100}
agents=${2:-no}
pg_host=${PGHOST:-127.0.0.1}
db="deployer_labcpu_$$"
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
https_port=$(free_port)
gw_pid=
cleanup() {
  [ -n "$gw_pid" ] && kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null || true
  psql -h "$pg_host" -U postgres -d test -qc "drop database if exists $db with (force)" || true
  rm -rf "$work"
}
trap cleanup EXIT
[ -f api-gateway/target/ultracloud-deployer.jar ] && [ -f installer-client/target/ultracloud-installer.jar ] \
  || mvn -q -B -DskipTests package
psql -h "$pg_host" -U postgres -d test -qc "create database $db"
# shellcheck disable=SC2086
java ${GATEWAY_JAVA_OPTS:-} -jar api-gateway/target/ultracloud-deployer.jar --spring.profiles.active=postgres \
  --spring.datasource.url="jdbc:postgresql://$pg_host:5432/$db" --server.port="$port" \
  --deployer.bootstrap.https-port="$https_port" --deployer.bootstrap.poll-after-seconds=1 \
  --deployer.security.enabled=false --deployer.data-dir="$work/data" --logging.level.root=WARN >"$work/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 180); do
  curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break
  kill -0 "$gw_pid" 2>/dev/null || { cat "$work/gateway.log"; exit 1; }
  sleep 1
done
curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' \
  --data-binary @nix/examples/lab/expected-cluster-state.json "http://127.0.0.1:$port/api/v1/cluster/intent"
sleep 3
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat"; }
busy_ms() { awk -v hz="$(getconf CLK_TCK)" '/^cpu /{print int(($2 + $3 + $4 + $7 + $8) * 1000 / hz)}' /proc/stat; }
gw0=$(cpu_ms "$gw_pid"); busy0=$(busy_ms); start=$(date +%s%N)
extra=()
[ "$agents" = yes ] && extra=(--agents --agent-url "https://localhost:$https_port" --timeout 100)
java -jar installer-client/target/ultracloud-installer.jar lab --deployer "http://127.0.0.1:$port" --operator-install \
  --join-secret-file "$work/data/join-secret" --machines "$machines" --concurrency 50 --quiet \
  --work-dir "$work/lab" "${extra[@]}" | grep -E "INSTALLED, in|agents, "
gw1=$(cpu_ms "$gw_pid"); busy1=$(busy_ms); wall_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "gateway CPU $((gw1 - gw0)) ms; machine busy $((busy1 - busy0)) ms of $((wall_ms * $(nproc))) ms ($(nproc) cores x ${wall_ms} ms);" \
  "agents: $agents; GATEWAY_JAVA_OPTS: ${GATEWAY_JAVA_OPTS:-none}"
