/** The lifecycle benchmark: active only under the {@code bench} profile (see docs/benchmarks.md). */
package com.ultracloud.deployer.gateway.bench;
