/** What the benchmarks share: the gateway process, a fresh database, HTTP load, percentiles, RESULT lines. */
package com.ultracloud.deployer.bench.support;
