package com.ultracloud.deployer.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar deployer-ctl.jar <command>}: exit 0 on success, 1 when a replay finds refused events, 2 on errors. */
@Command(name = "deployer-ctl", mixinStandardHelpOptions = true,
        description = "The deployer's audit and debugging reads: machine histories, states as of a time, the fleet as of a "
                + "time, and the replay of an exported history through the real aggregate, without a server.",
        subcommands = {EventsCommand.class, StateCommand.class, MachinesCommand.class, DebugCommand.class})
public final class DeployerCtl {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new DeployerCtl())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("deployer-ctl: " + e.getMessage());
                    return 2;
                })
                .execute(args);
    }
}
