/** Queries answered by the read side. */
package com.ultracloud.deployer.machine.api.query;
