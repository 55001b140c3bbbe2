#!/usr/bin/env bash
# The one entry point for the benchmarks (docs/benchmarks.md). Each prints its figures for people and as
# `RESULT bench=… metric=… value=… unit=… baseline=… ratio=…` lines (bench/report.py turns those into the
# tables and the chart of docs/benchmarks.md). Every gateway runs on the postgres profile on a fresh database
# (dropped afterwards), in LAB MODE (deployer.security.enabled=false: no operator token; discover still sends
# the join secret).
#
# Usage: bench/run.sh [storm|lifecycle|lab|rollout|scale|replay|all]        (default: all)
#   bench/run.sh all > out.txt && python3 bench/report.py out.txt
#
# Sizes (environment; defaults are the issue's full sizes, BENCH_SIZE=small gives a quick run):
#   STORM_INSTALLERS   "5000 2000"  one storm per size (all at once unless STORM_CONCURRENCY is set)   small: 500
#   STORM_WARMUP       discovers before the measured storm, for both servers (default max(2000, installers))
#   LIFECYCLE_MACHINES 2000, LIFECYCLE_THREADS 4                                                     small: 500
#   LAB_MACHINES 200, LAB_CONCURRENCY 50                                                             small: 50 / 20
#   ROLLOUT_MACHINES 200, ROLLOUT_CONCURRENCY 50 (install), ROLLOUT_BATCH 50                        small: 50 / 20 / 10
#   SCALE_MACHINES 10000 (100000 for the big-fleet target), SCALE_CONCURRENCY 64, SCALE_PROBES 200   small: 2000 / 100
#   SCALE_REPLAY=true also rebuilds the inventory of the scale run's fleet (as `all` does)
#   BENCH_KEEP_DATABASE=1 keeps each run's database and gateway work directory with its log (both printed)
#   REPLAY_MACHINES 2000 (replay alone; `all` replays the scale benchmark's fleet instead)          small: 2000
#   GATEWAY_JAVA_OPTS  JVM options of every gateway started (e.g. -Xmx384m); empty = the JVM's defaults
# Needs: the jars of the README's build step (`mvn -B -q -DskipTests package`, run here when one is missing),
# PostgreSQL on 127.0.0.1:5432 (trust; PGHOST/PGPORT), psql, python3, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}

if [ "${BENCH_SIZE:-full}" = small ]; then
  : "${STORM_INSTALLERS:=500}" "${LIFECYCLE_MACHINES:=500}" "${LAB_MACHINES:=50}" "${LAB_CONCURRENCY:=20}"
  : "${SCALE_MACHINES:=2000}" "${SCALE_PROBES:=100}" "${REPLAY_MACHINES:=2000}"
  : "${ROLLOUT_MACHINES:=50}" "${ROLLOUT_CONCURRENCY:=20}" "${ROLLOUT_BATCH:=10}"
fi
: "${STORM_INSTALLERS:=5000 2000}" "${LIFECYCLE_MACHINES:=2000}" "${LIFECYCLE_THREADS:=4}"
: "${LAB_MACHINES:=200}" "${LAB_CONCURRENCY:=50}"
: "${ROLLOUT_MACHINES:=200}" "${ROLLOUT_CONCURRENCY:=50}" "${ROLLOUT_BATCH:=50}"
: "${SCALE_MACHINES:=10000}" "${SCALE_CONCURRENCY:=64}" "${SCALE_PROBES:=200}" "${REPLAY_MACHINES:=2000}"
export GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-}"

for f in api-gateway/target/ultracloud-deployer.jar installer-client/target/ultracloud-installer.jar \
         bench/target/ultracloud-bench.jar bench/target/lib; do
  [ -e "$f" ] || { echo "building: $f is missing"; mvn -B -q -ntp -DskipTests package; break; }
done

cp="bench/target/ultracloud-bench.jar:bench/target/lib/*"
bench() {
  java ${BENCH_JAVA_OPTS:-} -cp "$cp" com.ultracloud.deployer.bench.BenchMain "$@"
}

echo "# bench/run.sh $what — $(date -u +%Y-%m-%dT%H:%M:%SZ), commit ${BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}," \
  "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RESULT bench=run metric=context date=$(date -u +%Y-%m-%dT%H:%M:%SZ) command=bench/run.sh_$what" \
  "commit=${BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)} cores=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"

storm()     { for n in $STORM_INSTALLERS; do bench storm --installers="$n" --concurrency="${STORM_CONCURRENCY:-$n}" ${STORM_WARMUP:+--warmup=$STORM_WARMUP}; done; }
lifecycle() { bench/lifecycle.sh "$LIFECYCLE_MACHINES" "$LIFECYCLE_THREADS" true; }
lab()       { bench lab --machines="$LAB_MACHINES" --concurrency="$LAB_CONCURRENCY"; }
rollout()   { bench rollout --machines="$ROLLOUT_MACHINES" --concurrency="$ROLLOUT_CONCURRENCY" --batch="$ROLLOUT_BATCH"; }
scale()     { bench scale --machines="$SCALE_MACHINES" --concurrency="$SCALE_CONCURRENCY" --probes="$SCALE_PROBES" --replay="${1:-false}"; }
replay()    { bench replay --machines="$REPLAY_MACHINES"; }

case "$what" in
  storm) storm ;;
  lifecycle) lifecycle ;;
  lab) lab ;;
  rollout) rollout ;;
  scale) scale "${SCALE_REPLAY:-false}" ;;
  replay) replay ;;
  all) storm; lifecycle; lab; rollout; scale true ;;
  *) echo "usage: bench/run.sh [storm|lifecycle|lab|rollout|scale|replay|all]" >&2; exit 2 ;;
esac
