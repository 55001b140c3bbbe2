/** bench/lab.sh (the installer lab against the gateway) wrapped: wall time, machines/s, load average. */
package com.ultracloud.deployer.bench.lab;
