package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.machine.api.MachineId;

/**
 * The machine an agent request's client certificate names (set by {@link NodeCertificateInterceptor}).
 * {@link #principal()} is what events caused by the request record (DESIGN §10).
 */
record AgentIdentity(MachineId machineId, String serial) {

    static final String ATTRIBUTE = "com.ultracloud.deployer.gateway.agent.AgentIdentity";

    String principal() {
        return "machine:" + machineId;
    }
}
