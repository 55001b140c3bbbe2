/** Errors as RFC 9457 problem details: one advice, no stack traces, no 500 for bad input. */
package com.ultracloud.deployer.gateway.problem;
