package com.ultracloud.deployer.gateway.machine;

import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.messaging.MetaData;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who asks and under which correlation id. Both go into the metadata of every command, and Axon's
 * correlation providers copy them onto every event the command causes (DESIGN §3).
 */
public record RequestContext(String principal, String correlationId) {

    public static final String PRINCIPAL = "principal";
    public static final String CORRELATION_ID = "correlationId";
    public static final String CORRELATION_HEADER = "X-Correlation-Id";

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /**
     * Operators are named by their authenticated principal, already typed by the security layer
     * ({@code token:<name>} for an API token, {@code jwt:<subject>} for an OIDC JWT); in lab mode
     * ({@code deployer.security.enabled=false}) nobody authenticates, and the client address keeps
     * requests apart in the audit trail ({@code anonymous@<address>}).
     */
    public static RequestContext operator(HttpServletRequest request) {
        String user = request.getRemoteUser();
        return new RequestContext(user != null ? user : "anonymous@" + request.getRemoteAddr(), correlationId(request));
    }

    /** The installer is named by where it calls from (its token, once issue 3's tokens exist). */
    public static RequestContext installer(HttpServletRequest request) {
        return new RequestContext("installer@" + request.getRemoteAddr(), correlationId(request));
    }

    public static RequestContext system(String name) {
        return new RequestContext("system:" + name, UUID.randomUUID().toString());
    }

    public MetaData metaData() {
        return MetaData.with(PRINCIPAL, principal).and(CORRELATION_ID, correlationId);
    }

    /** A caller-supplied id is kept when it is safe to log; otherwise a fresh one is made. */
    private static String correlationId(HttpServletRequest request) {
        String given = request.getHeader(CORRELATION_HEADER);
        return given != null && SAFE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }
}
