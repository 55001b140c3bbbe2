package com.ultracloud.deployer.gateway.problem;

import java.io.IOException;

/** A request body over the configured limit (413). An IOException so it can leave a stream read. */
public class PayloadTooLargeException extends IOException {

    private final long limit;

    public PayloadTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
