/**
 * Benchmarks of the deployer (docs/benchmarks.md), one small program each, started by {@code bench/run.sh}.
 * Each prints its figures, the baseline measured in the same run and the ratio, as human-readable lines
 * and as {@code RESULT …} lines that {@code bench/report.py} turns into the tables of docs/benchmarks.md.
 * None of this is in a production jar (a test in {@code e2e} checks the jars' entries).
 */
package com.ultracloud.deployer.bench;
