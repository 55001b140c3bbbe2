/** The event store as the operator's audit and debugging tool: exports of the events, one JSON object per line. */
package com.ultracloud.deployer.gateway.audit;
