package com.ultracloud.deployer.protocol.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Set;

/**
 * The body of {@code POST /api/v1/agent/directive}: what the agent did with directive {@code id}.
 * {@code acknowledged}: the installer is loaded ({@code kexec -l} succeeded) and the agent runs
 * {@code systemctl kexec} next; {@code failed}: it cannot ({@code message} says why: a download, a checksum, kexec,
 * no image), so the operator boots the installer image by hand.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DirectiveReport(String id, String result, String message) {

    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String FAILED = "failed";

    public DirectiveReport {
        WireValues.required("id", id);
        WireValues.oneOf("result", result, Set.of(ACKNOWLEDGED, FAILED));
    }
}
