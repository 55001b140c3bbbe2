package com.ultracloud.deployer.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar deployer-ctl.jar <command>}. Exit codes: 0 done; 1 a replay found refused events, or a watched
 * install failed; 2 a usage or connection error, or a question answered no; 3 the deployer refused the request (its
 * problem printed as one line); 4 the deployer failed (5xx).
 */
@Command(name = "deployer-ctl", mixinStandardHelpOptions = true,
        description = "The deployer from a shell: the inventory and its lifecycle actions, the intent, rollouts, installs, "
                + "API tokens, histories and the live event stream, states and the fleet as of a time, and the replay of an "
                + "exported history through the real aggregate, without a server.",
        footer = {"", "Exit codes: 0 done; 1 a replay found refused events, or a watched install failed; 2 a usage or "
                + "connection error, or a question answered no; 3 the deployer refused the request; 4 the deployer failed."},
        subcommands = {MachinesCommand.class, IntentCommand.class, RolloutsCommand.class, InstallCommand.class,
                TokensCommand.class, EventsCommand.class, StateCommand.class, DebugCommand.class})
public final class DeployerCtl {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new DeployerCtl());
        MachinesCommand.addActions(cli.getSubcommands().get("machines"));
        return cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("deployer-ctl: " + e.getMessage());
                    if (e instanceof Deployer.Refused) {
                        return 3;
                    }
                    return e.getMessage() != null && e.getMessage().matches(".* answered 5\\d\\d.*") ? 4 : 2;
                })
                .execute(args);
    }
}
