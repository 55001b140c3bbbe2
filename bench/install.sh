#!/usr/bin/env bash
# Install benchmarks (plain Java mains, no database): credential issuance per machine against raw
# Bouncy Castle keygen + sign, then install-plan rendering for a fleet, each against its baseline in
# the same run. Usage: bench/install.sh [MACHINES] [ROUNDS]   (defaults: 1000 10 for plans; 200 10 for credentials)
set -euo pipefail
cd "$(dirname "$0")/.."
machines=${1:-1000}
rounds=${2:-10}
mvn -q -B -pl machine-aggregate -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
cp="machine-aggregate/target/test-classes:machine-aggregate/target/classes:protocol/target/classes:$(cat machine-aggregate/target/test.classpath)"
java -cp "$cp" com.ultracloud.deployer.machine.domain.credentials.CredentialIssuerBenchmark 200 "$rounds"
java -cp "$cp" com.ultracloud.deployer.machine.domain.plan.InstallPlanBenchmark "$machines" "$rounds"
