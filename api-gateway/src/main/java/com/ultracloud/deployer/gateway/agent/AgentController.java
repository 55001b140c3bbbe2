package com.ultracloud.deployer.gateway.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The agent API (DESIGN §8), for the installed node's nix-agent; only what the node credential needs so far:
 * who the certificate says the caller is. Desired system and activation reports come with the rollout loop.
 */
@RestController
@RequestMapping(path = "/api/v1/agent", produces = MediaType.APPLICATION_JSON_VALUE)
class AgentController {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Identity(String machineId, String hostname, String serial, String state) {
    }

    /** The machine of the presented node certificate, as the deployer knows it now. */
    @GetMapping("/identity")
    Identity identity(@RequestAttribute(AgentIdentity.ATTRIBUTE) AgentIdentity agent) {
        return new Identity(agent.machineId().toString(), agent.machine().hostname(), agent.serial(),
                agent.machine().state().name());
    }
}
