package com.ultracloud.deployer.gateway.problem;

import java.util.List;

/** Bad input found by our own validation: answered 400 with every field error. */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidRequestException(String detail, List<FieldError> errors) {
        super(detail);
        this.errors = List.copyOf(errors);
    }

    public static InvalidRequestException of(String field, String message) {
        return new InvalidRequestException(field + ": " + message, List.of(new FieldError(field, message)));
    }

    /** One problem in the request body, at {@code path} ({@code $} for the whole body). */
    public static InvalidRequestException inBody(String path, String reason) {
        return new InvalidRequestException("request body: " + path + ": " + reason, List.of(new FieldError(path, reason)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
