package com.ultracloud.deployer.gateway.problem;

/** One invalid input: its path (e.g. {@code nics[1].mac}) and what is wrong with it. */
public record FieldError(String field, String message) {
}
