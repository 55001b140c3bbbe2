package com.ultracloud.deployer.machine.domain.enrollment;

/**
 * Another machine of the fleet that holds a hostname (and, when a rule or node assigned it,
 * {@code matchedRule}, e.g. {@code rule:workers-epyc}): what makes hostnames unique and rules full.
 */
public record Enrolled(String machineId, String hostname, String matchedRule) {
}
