package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.command.DiscoverMachine;
import com.ultracloud.deployer.machine.domain.MachineFingerprint;
import com.ultracloud.deployer.protocol.DiscoverResponse;
import com.ultracloud.deployer.protocol.InventoryDigest;
import com.ultracloud.deployer.protocol.MachineInventory;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The installer-facing bootstrap API (DESIGN §8). */
@RestController
@RequestMapping("/api/v1/bootstrap")
class BootstrapController {

    private final MachineCommands commands;
    private final DeployerProperties properties;

    BootstrapController(MachineCommands commands, DeployerProperties properties) {
        this.commands = commands;
        this.properties = properties;
    }

    /** Identity and facts in; the machine's id and what to do next out. Idempotent for unchanged facts. */
    @PostMapping("/discover")
    DiscoverResponse discover(@RequestBody MachineInventory facts, HttpServletRequest request) {
        MachineFingerprint fingerprint = DiscoverValidator.validate(facts);
        String machineId = fingerprint.machineId().toString();
        MachineState state = commands.sendIdempotent(
                new DiscoverMachine(fingerprint.machineId(), fingerprint.value(), facts, InventoryDigest.of(facts)),
                RequestContext.installer(request));
        return new DiscoverResponse(machineId, state.name(), null, properties.bootstrap().pollAfterSeconds(),
                instruction(state));
    }

    /** What the installer should do now: fetch a plan, boot rescue, or wait for an operator. */
    private static String instruction(MachineState state) {
        return switch (state) {
            case INSTALL_PENDING -> "install";
            case RESCUE -> "rescue";
            default -> "wait";
        };
    }
}
