package com.ultracloud.deployer.installer.agent;

import com.ultracloud.deployer.installer.run.CommandExecutor;
import com.ultracloud.deployer.installer.run.CommandExecutor.CommandResult;
import com.ultracloud.deployer.installer.run.Commands;
import com.ultracloud.deployer.installer.run.DeployerException;
import com.ultracloud.deployer.protocol.agent.DesiredSystem.Artifact;
import com.ultracloud.deployer.protocol.agent.DesiredSystem.Directive;
import com.ultracloud.deployer.protocol.agent.DirectiveReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Acts on an operator's directive (rescue, reprovision; docs/agent.md "Directives"): boots the installer in memory,
 * without a BMC, once per directive id:
 * <ol>
 *   <li>download the directive's kernel and initrd into {@code <state dir>/kexec/}, each checked against its SHA-256;</li>
 *   <li>{@code kexec-load}: {@code kexec -l <kernel> --initrd=<initrd> --command-line=<parameters>};</li>
 *   <li>report {@code acknowledged} — the agent's last call: on a reprovision the deployer revokes the node
 *       certificate right after it;</li>
 *   <li>{@code kexec}: {@code systemctl kexec} (systemd stops the system, then boots the loaded kernel).</li>
 * </ol>
 * An unknown kind, a directive the deployer has no image for ({@code problem}), a failed download or {@code kexec -l}
 * is reported {@code failed}, and the agent goes on. The command line carries the cluster join secret: it is never
 * printed (the directive's toString and {@link Commands#display} leave it out).
 */
final class DirectiveRun {

    static final String LOAD_STEP = "kexec-load";
    static final String KEXEC_STEP = "kexec";
    static final String UNLOAD_STEP = "kexec-unload";
    private static final Set<String> KINDS = Set.of(Directive.RESCUE, Directive.REPROVISION);
    /** What {@link AgentState.HandledDirective#result()} says when the deployer refused the acknowledgement. */
    static final String REFUSED = "refused";

    /** What became of a directive report. */
    enum Delivery {
        DELIVERED,
        /** The deployer answered 4xx: the directive is no longer the machine's open one (ended, replaced). */
        REFUSED,
        /** The deployer could not be reached, also after retries. */
        UNREACHABLE
    }

    /** Sends a directive report (retrying as the agent does), or only prints it in a dry run. */
    interface Reports {
        Delivery send(DirectiveReport report) throws InterruptedException;
    }

    private final AgentClient client;
    private final CommandExecutor executor;
    private final AgentState state;
    private final Reports reports;
    private final PrintWriter out;

    DirectiveRun(AgentClient client, CommandExecutor executor, AgentState state, Reports reports, PrintWriter out) {
        this.client = client;
        this.executor = executor;
        this.state = state;
        this.reports = reports;
        this.out = out;
    }

    Outcome act(Directive directive) throws InterruptedException {
        String name = "directive " + directive.kind() + " " + directive.id();
        if (state.directiveHandled(directive.id())) {
            line(name + " was acted on already (" + state.lastDirective().map(AgentState.HandledDirective::result).orElse("?")
                    + "); waiting for the deployer to end it");
            return Outcome.ALREADY_HANDLED;
        }
        if (!KINDS.contains(directive.kind())) {
            return fail(directive, "unknown directive kind " + directive.kind());
        }
        if (directive.problem() != null) {
            return fail(directive, directive.problem());
        }
        Path kernel = state.kexecDir().resolve("kernel");
        Path initrd = state.kexecDir().resolve("initrd");
        line(name + ": booting the installer by kexec (kernel " + directive.kernel().url() + ", initrd "
                + directive.initrd().url() + ", " + directive.commandLine().size() + " kernel parameters)");
        try {
            download(directive.kernel(), kernel);
            download(directive.initrd(), initrd);
        } catch (DeployerException e) {
            return fail(directive, e.getMessage());
        }
        CommandResult load = run(LOAD_STEP, List.of("kexec", "-l", kernel.toString(), "--initrd=" + initrd,
                Commands.KEXEC_COMMAND_LINE + directive.joinedCommandLine()));
        if (!load.succeeded()) {
            return fail(directive, Activation.failure("kexec -l", load));
        }
        Delivery ack = reports.send(new DirectiveReport(directive.id(), DirectiveReport.ACKNOWLEDGED,
                "the installer is loaded; systemctl kexec boots it"));
        if (ack == Delivery.REFUSED) {
            // the deployer no longer wants it; a loaded kernel would be booted by the node's next systemctl reboot
            run(UNLOAD_STEP, List.of("kexec", "-u"));
            state.saveLastDirective(new AgentState.HandledDirective(directive.id(), REFUSED));
            line(name + ": the deployer refused the acknowledgement; the installer was unloaded and the node stays as it is");
            return Outcome.FAILED;
        }
        // not delivered (the deployer unreachable): the installer goes on, its discover tells the deployer as well
        state.saveLastDirective(new AgentState.HandledDirective(directive.id(), DirectiveReport.ACKNOWLEDGED));
        CommandResult kexec = run(KEXEC_STEP, List.of("systemctl", "kexec"));
        if (!kexec.succeeded()) {
            line(name + ": " + Activation.failure("systemctl kexec", kexec)
                    + "; the installer stays loaded, the deployer's boot deadline tells the operator");
            return Outcome.FAILED;
        }
        return Outcome.KEXEC;
    }

    private void download(Artifact artifact, Path file) throws InterruptedException {
        if (executor.dryRun()) {
            line("[dry-run] would download " + artifact.url() + " to " + file + " (SHA-256 " + artifact.sha256() + ")");
            return;
        }
        client.download(artifact, file);
        line("downloaded " + artifact.url() + " to " + file + " (SHA-256 " + artifact.sha256() + " verified)");
    }

    /** Reports {@code message} as {@code failed} and remembers the directive: it is not tried again. */
    private Outcome fail(Directive directive, String message) throws InterruptedException {
        line("directive " + directive.kind() + " " + directive.id() + " failed: " + message);
        reports.send(new DirectiveReport(directive.id(), DirectiveReport.FAILED, message));
        state.saveLastDirective(new AgentState.HandledDirective(directive.id(), DirectiveReport.FAILED));
        return Outcome.FAILED;
    }

    private CommandResult run(String step, List<String> command) throws InterruptedException {
        try {
            return executor.run(step, command);
        } catch (IOException e) {
            return new CommandResult(127, List.of("cannot run " + command.get(0) + ": " + e.getMessage()));
        }
    }

    private void line(String s) {
        out.println(s);
        out.flush();
    }
}
