#!/usr/bin/env bash
# Lifecycle benchmark on the postgres profile: N machines through discover -> inspect -> commission,
# against a raw JDBC insert+commit loop in the same run and database. Uses a fresh database that it
# drops afterwards. Usage: bench/lifecycle.sh [MACHINES] [THREADS] [READ_SIDE]   (defaults: 2000 4 true)
# READ_SIDE=false pauses the event processors (projections, policy, saga) to time the command path alone.
# BENCH_EXTRA adds gateway options, e.g. BENCH_EXTRA=--deployer.write-side.cached-machines=20000.
set -euo pipefail
cd "$(dirname "$0")/.."
machines=${1:-2000}
threads=${2:-4}
read_side=${3:-true}
pg_host=${PGHOST:-127.0.0.1}
db="deployer_bench_$$"
jar=api-gateway/target/ultracloud-deployer.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
psql -h "$pg_host" -U postgres -d test -qc "create database $db"
trap 'psql -h "$pg_host" -U postgres -d test -qc "drop database if exists $db with (force)"' EXIT
java -jar "$jar" --spring.profiles.active=postgres,bench --server.port=0 --logging.level.root=WARN \
  --spring.datasource.url="jdbc:postgresql://$pg_host:5432/$db" \
  ${BENCH_EXTRA:-} --bench.machines="$machines" --bench.concurrency="$threads" --bench.read-side="$read_side"
