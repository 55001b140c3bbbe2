package com.ultracloud.deployer.installer.cli;

import com.ultracloud.deployer.installer.InstallerVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** The {@code installer} command: the machine side of the bootstrap flow (DESIGN §2, §8.1). */
@Command(name = "installer",
        mixinStandardHelpOptions = true,
        versionProvider = InstallerCli.Version.class,
        description = "UltraCloud installer: collects this machine's facts and installs NixOS as the deployer plans; `agent` is the installed node's nix-agent.",
        subcommands = {FactsCommand.class, RunCommand.class, LabCommand.class, AgentCommand.class, HelpCommand.class})
public final class InstallerCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** The configured command line: the one exception handler and exit-code mapper installed. */
    public static CommandLine newCommandLine() {
        Failures failures = new Failures();
        return new CommandLine(new InstallerCli())
                .setExecutionExceptionHandler(failures)
                .setExitCodeExceptionMapper(failures);
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ultracloud-installer " + InstallerVersion.current()};
        }
    }
}
