package com.ultracloud.deployer.gateway.problem;

/** The addressed resource does not exist (404). */
public class NotFoundException extends RuntimeException {

    private final String machineId;

    public NotFoundException(String detail, String machineId) {
        super(detail);
        this.machineId = machineId;
    }

    public static NotFoundException machine(Object id) {
        return new NotFoundException("no machine " + id, String.valueOf(id));
    }

    public String machineId() {
        return machineId;
    }
}
