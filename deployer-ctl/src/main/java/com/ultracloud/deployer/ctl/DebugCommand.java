package com.ultracloud.deployer.ctl;

import picocli.CommandLine.Command;

/** {@code deployer-ctl debug …}: offline tools. */
@Command(name = "debug", description = "Offline debugging tools.", subcommands = ReplayCommand.class)
final class DebugCommand {
}
