package com.ultracloud.deployer.installer.cli;

import com.ultracloud.deployer.installer.InstallerVersion;
import com.ultracloud.deployer.installer.agent.Agent;
import com.ultracloud.deployer.installer.agent.AgentClient;
import com.ultracloud.deployer.installer.agent.AgentClock;
import com.ultracloud.deployer.installer.agent.AgentState;
import com.ultracloud.deployer.installer.agent.NodeCredentials;
import com.ultracloud.deployer.installer.agent.Outcome;
import com.ultracloud.deployer.installer.agent.SystemProfile;
import com.ultracloud.deployer.installer.run.Backoff;
import com.ultracloud.deployer.installer.run.CommandExecutor;
import com.ultracloud.deployer.installer.run.DeployerClient;
import com.ultracloud.deployer.installer.run.DeployerException;
import com.ultracloud.deployer.installer.run.DryRunExecutor;
import com.ultracloud.deployer.installer.run.ProcessExecutor;
import com.ultracloud.deployer.installer.run.SimulatedExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import javax.net.ssl.SSLContext;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code installer agent}: the nix-agent of an installed node (docs/agent.md). */
@Command(name = "agent",
        mixinStandardHelpOptions = true,
        description = "The nix-agent: long-poll this node's desired system, activate it (deploy-rs semantics: profile, "
                + "switch-to-configuration test, health gate, boot; or boot and a staged reboot), roll back when it does "
                + "not confirm, and report every step. Authenticates with the node certificate the installer wrote (docs/agent.md).")
final class AgentCommand implements Callable<Integer> {

    /** How the agent changes the machine. */
    enum ExecutorKind { real, dry_run, simulated }

    @Spec
    CommandSpec spec;

    @Option(names = "--deployer", required = true, paramLabel = "URL",
            description = "The deployer's machine-facing base URL, e.g. https://deployer.lab:8443.")
    String deployer;

    @Option(names = "--credentials", paramLabel = "DIR", defaultValue = NodeCredentials.DEFAULT_DIR,
            description = "The node credential the installer wrote: node.key, node.crt, ca.crt. Default: ${DEFAULT-VALUE}")
    Path credentials;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = AgentState.DEFAULT_DIR,
            description = "The agent's state: the pending confirm of a staged reboot (state.json) and the last activation. "
                    + "Default: ${DEFAULT-VALUE}")
    Path stateDir;

    @Option(names = "--poll-interval", paramLabel = "SECONDS", defaultValue = "30",
            description = "Pause between polls when the deployer answers at once (no long-poll), in seconds. Default: ${DEFAULT-VALUE}")
    int pollIntervalSeconds;

    @Option(names = "--poll-wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long the deployer may hold one desired-system request (the wait= of the long-poll). Default: ${DEFAULT-VALUE}")
    int pollWaitSeconds;

    @Option(names = "--executor", paramLabel = "KIND", defaultValue = "real", converter = ExecutorKindConverter.class,
            description = "real (run the commands), dry-run (print them; change nothing, report nothing) or simulated "
                    + "(record them, run nothing: tests and the lab). Default: ${DEFAULT-VALUE}")
    ExecutorKind executorKind;

    @Option(names = "--once", description = "Handle one desired system (or the confirm of a staged reboot) and exit: "
            + "0 when healthy, 1 when failed or rolled back.")
    boolean once;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/", hidden = true,
            description = "Read /nix/var/nix/profiles/system and /run/current-system under DIR (tests, the lab).")
    Path root;

    @Option(names = "--health-interval", paramLabel = "SECONDS", defaultValue = "5", hidden = true)
    int healthIntervalSeconds;

    @Option(names = "--retry-initial-ms", defaultValue = "1000", hidden = true)
    long retryInitialMs;

    @Option(names = "--retry-max-ms", defaultValue = "30000", hidden = true)
    long retryMaxMs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        URI url;
        try {
            url = DeployerClient.parseBaseUrl(deployer);
        } catch (IllegalArgumentException e) {
            throw new InstallerException("bad-deployer-url", e.getMessage(), ExitCodes.USAGE);
        }
        if (pollIntervalSeconds <= 0 || pollWaitSeconds <= 0 || healthIntervalSeconds <= 0) {
            throw new InstallerException("bad-interval", "--poll-interval, --poll-wait and --health-interval must be positive",
                    ExitCodes.USAGE);
        }
        SSLContext tls = null;
        if ("https".equalsIgnoreCase(url.getScheme())) {
            try {
                tls = NodeCredentials.load(credentials);
            } catch (IllegalArgumentException e) {
                throw new InstallerException("bad-credentials", e.getMessage(), ExitCodes.USAGE);
            }
        }
        CommandExecutor executor = switch (executorKind) {
            case real -> new ProcessExecutor(out);
            case dry_run -> new DryRunExecutor(out);
            case simulated -> SimulatedExecutor.succeeding();
        };
        out.println("agent " + InstallerVersion.current() + ": deployer " + url
                + (tls == null ? " (plain http: no node certificate, for tests and the lab only)" : ", node credential " + credentials)
                + ", state " + stateDir + (executor.dryRun() ? " (dry run)" : ""));
        out.flush();
        Agent agent = new Agent(new AgentClient(url, tls, Duration.ofSeconds(30)), executor, new SystemProfile(root),
                new AgentState(stateDir, executor.dryRun()), AgentClock.SYSTEM,
                new Agent.Settings(Duration.ofSeconds(pollWaitSeconds), Duration.ofSeconds(pollIntervalSeconds),
                        Duration.ofSeconds(healthIntervalSeconds),
                        new Backoff(Duration.ofMillis(retryInitialMs), Duration.ofMillis(retryMaxMs)), once),
                out);
        Outcome outcome;
        try {
            outcome = agent.run();
        } catch (DeployerException e) {
            throw new InstallerException("deployer-refused", e.getMessage(), ExitCodes.FAILED);
        }
        return outcome.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** {@code dry-run} on the command line, {@code dry_run} in Java. */
    static final class ExecutorKindConverter implements picocli.CommandLine.ITypeConverter<ExecutorKind> {
        @Override
        public ExecutorKind convert(String value) {
            try {
                return ExecutorKind.valueOf(value.replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected real, dry-run or simulated, not '" + value + "'");
            }
        }
    }
}
