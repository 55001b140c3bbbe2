#!/usr/bin/env bash
# Lifecycle benchmark on the postgres profile: N machines through discover -> inspect -> commission through
# the real command bus, measured until the read side has caught up, against a raw JDBC insert+commit loop in
# the same run and database. Runs inside the real gateway jar: Spring Boot's PropertiesLauncher adds the bench
# module's jar (loader.path) and the `bench` profile switches the benchmark on; the production jar itself
# holds no benchmark code. Uses a fresh database that it drops afterwards.
# Usage: bench/lifecycle.sh [MACHINES] [THREADS] [READ_SIDE]   (defaults: 2000 4 true)
# READ_SIDE=false pauses the event processors (projections, policy, saga) to time the command path alone.
# BENCH_EXTRA adds gateway options, e.g. BENCH_EXTRA=--deployer.write-side.cached-machines=20000;
# GATEWAY_JAVA_OPTS adds JVM options, e.g. GATEWAY_JAVA_OPTS=-Xmx512m.
set -euo pipefail
cd "$(dirname "$0")/.."
machines=${1:-2000}
threads=${2:-4}
read_side=${3:-true}
pg_host=${PGHOST:-127.0.0.1}
db="ucbench_lifecycle_$$"
jar=api-gateway/target/ultracloud-deployer.jar
bench_jar=bench/target/ultracloud-bench.jar
[ -f "$jar" ] && [ -f "$bench_jar" ] || mvn -q -B -ntp -DskipTests package
work=$(mktemp -d)
psql -h "$pg_host" -U postgres -d test -qc "create database $db"
trap 'psql -h "$pg_host" -U postgres -d test -qc "drop database if exists $db with (force)"; rm -rf "$work"' EXIT
# shellcheck disable=SC2086
java ${GATEWAY_JAVA_OPTS:-} -Dloader.path="$bench_jar" -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher \
  --spring.profiles.active=postgres,bench --spring.main.banner-mode=off --server.port=0 --deployer.bootstrap.https-port=0 --logging.level.root=WARN \
  --spring.datasource.url="jdbc:postgresql://$pg_host:5432/$db" --deployer.data-dir="$work/data" \
  ${BENCH_EXTRA:-} --bench.machines="$machines" --bench.concurrency="$threads" --bench.read-side="$read_side"
