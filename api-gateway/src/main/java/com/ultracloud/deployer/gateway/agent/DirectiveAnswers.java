package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.credentials.JoinSecret;
import com.ultracloud.deployer.machine.api.DirectiveKinds;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * A machine's open directive as the agent API answers it (docs/day2.md): the installer's netboot kernel and initrd
 * ({@link InstallerImage}: at {@code deployer.install.image-url}, else this deployer's
 * {@code /images/installer/}), their SHA-256, and the kernel command line the agent passes to kexec: the image's own
 * parameters, then {@code ultracloud.deployer=} (the address the agent reached this deployer at), the join secret,
 * {@code ultracloud.mode=rescue|install} and {@code ultracloud.directive=<id>}. Without an image the answer says why,
 * and the agent reports the directive failed.
 */
@Component
class DirectiveAnswers {

    static final String IMAGE_PATH = "/images/installer";

    private final InstallerImage image;
    private final JoinSecret joinSecret;
    private final String imageUrl;

    DirectiveAnswers(InstallerImage image, JoinSecret joinSecret, DeployerProperties properties) {
        this.image = image;
        this.joinSecret = joinSecret;
        String configured = properties.install().imageUrl();
        this.imageUrl = configured == null || configured.isBlank() ? null : configured.replaceAll("/+$", "");
    }

    /** The answer for {@code directive}; {@code deployer} is the base URL the agent reached this deployer at. */
    AgentTargets.Desired answer(MachineDetail.Directive directive, String deployer) {
        InstallerImage.Result found = image.netboot();
        DesiredSystem.Directive wire;
        if (found.image() == null) {
            wire = DesiredSystem.Directive.without(directive.kind(), directive.id(), found.problem()
                    + "; boot the machine from the installer image by hand");
        } else {
            InstallerImage.Netboot netboot = found.image();
            String base = imageUrl != null ? imageUrl : deployer + IMAGE_PATH;
            List<String> commandLine = new ArrayList<>(netboot.kernelParameters());
            commandLine.add("ultracloud.deployer=" + deployer);
            commandLine.add(joinSecret.kernelParameter());
            commandLine.add("ultracloud.mode=" + (DirectiveKinds.RESCUE.equals(directive.kind()) ? "rescue" : "install"));
            commandLine.add("ultracloud.directive=" + directive.id());
            wire = new DesiredSystem.Directive(directive.kind(), directive.id(),
                    new DesiredSystem.Artifact(base + "/" + InstallerImage.KERNEL, netboot.kernelSha256()),
                    new DesiredSystem.Artifact(base + "/" + InstallerImage.INITRD, netboot.initrdSha256()),
                    commandLine, null);
        }
        return new AgentTargets.Desired("\"" + DesiredSystem.DIRECTIVE_DEPLOYMENT + ":" + directive.id() + "\"", 0,
                DesiredSystem.of(wire));
    }
}
