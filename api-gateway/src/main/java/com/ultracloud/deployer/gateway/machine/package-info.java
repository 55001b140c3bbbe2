/** The machine API: operator commands and queries, and the installer's bootstrap endpoints. */
package com.ultracloud.deployer.gateway.machine;
