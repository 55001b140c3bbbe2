package com.ultracloud.deployer.installer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.ultracloud.deployer.installer.InstallerVersion;
import com.ultracloud.deployer.installer.facts.FactsCollector;
import com.ultracloud.deployer.installer.facts.SystemRoot;
import com.ultracloud.deployer.protocol.MachineInventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code installer facts}: prints the discover request this machine would send. */
@Command(name = "facts",
        description = {"Print the discover request (JSON, DESIGN §8.1) collected from this machine.",
                "Reads /sys, /proc, /dev/disk, /run/udev/data and /etc/resolv.conf; addresses come from the JDK."})
final class FactsCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Read a recorded tree instead of /: DIR/sys, DIR/proc, DIR/dev/disk, DIR/run/udev/data, "
                    + "DIR/etc/resolv.conf, and DIR/recorded/addresses (one address/prefix per line).")
    Path root;

    @Option(names = "--compact", description = "One line of JSON instead of indented output.")
    boolean compact;

    @Override
    public Integer call() throws Exception {
        MachineInventory facts = new FactsCollector(systemRoot(), InstallerVersion.current()).collect();
        PrintWriter out = spec.commandLine().getOut();
        out.println(compact ? JSON.writeValueAsString(facts)
                : JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(facts));
        out.flush();
        return ExitCodes.OK;
    }

    private SystemRoot systemRoot() {
        if (root == null) {
            return SystemRoot.live();
        }
        try {
            return SystemRoot.recorded(root);
        } catch (IllegalArgumentException e) {
            throw new InstallerException("bad-root", "--root " + e.getMessage(), ExitCodes.USAGE);
        }
    }
}
