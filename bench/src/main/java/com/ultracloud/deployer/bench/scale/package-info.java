/** Big fleets: inventory reads and discover at K machines against 1,000 and against raw SQL. */
package com.ultracloud.deployer.bench.scale;
