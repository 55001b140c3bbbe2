package com.ultracloud.deployer.installer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.installer.facts.RecordedTree;
import com.ultracloud.deployer.protocol.MachineInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a user sees it: exit code, stdout and stderr (sdmx-dl PingCommandTest style). */
class InstallerCliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = InstallerCli.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void factsOfARecordedTreePrintTheDiscoverRequestAsJson() throws Exception {
        Path tree = RecordedTree.build("server-nvme-sata-usb", dir);

        int exit = run("facts", "--root", tree.toString());

        assertThat(exit).isZero();
        assertThat(err.toString()).isEmpty();
        MachineInventory facts = new ObjectMapper().readValue(out.toString(), MachineInventory.class);
        assertThat(facts.disks()).extracting(MachineInventory.Disk::name)
                .containsExactly("/dev/nvme0n1", "/dev/sda", "/dev/sdb", "/dev/sdc");
        assertThat(facts.installer().version()).isEqualTo(System.getProperty("installer.version"));
        assertThat(out.toString()).contains("\n  \"identity\" : {"); // indented by default
    }

    @Test
    void compactFactsAreOneLine() {
        Path tree = RecordedTree.build("vm-virtio-no-dmi", dir);

        int exit = run("facts", "--compact", "--root", tree.toString());

        assertThat(exit).isZero();
        assertThat(out.toString().strip()).doesNotContain("\n").startsWith("{\"identity\":{},\"nics\":[{\"name\":\"ens3\"");
    }

    @Test
    void aMissingRootDirectoryIsAUsageErrorWithAClearMessage() {
        Path missing = dir.resolve("no-such-tree");

        int exit = run("facts", "--root", missing.toString());

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("bad-root: --root " + missing + " is not a directory" + System.lineSeparator());
    }

    @Test
    void aDirectoryThatIsNotARecordedTreeIsRefused() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "not a machine");

        int exit = run("facts", "--root", dir.toString());

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("bad-root: --root " + dir
                + " is not a recorded system tree (it has neither sys/ nor proc/)" + System.lineSeparator());
    }

    @Test
    void labAgentsNeedAnHttpsAgentUrlAndTheAgentOptionsNeedAgents() {
        assertThat(run("lab", "--deployer", "http://127.0.0.1:1", "--agents")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("bad-option: --agents needs --agent-url, the deployer's machine-facing HTTPS URL");

        err.getBuffer().setLength(0);
        assertThat(run("lab", "--deployer", "http://127.0.0.1:1", "--agents", "--agent-url", "http://127.0.0.1:2"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("bad-agent-url: --agent-url must be https://");

        err.getBuffer().setLength(0);
        assertThat(run("lab", "--deployer", "http://127.0.0.1:1", "--unhealthy", "cp-1")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("bad-option: --agent-url, --unhealthy and --reboot-required need --agents");
        assertThat(out.toString()).as("refused before any machine ran").isEmpty();
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        int exit = run("facts", "--bogus");

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Unknown option: '--bogus'").contains("Usage: installer facts");
    }

    @Test
    void withoutASubcommandTheUsageIsPrinted() {
        int exit = run();

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Missing required subcommand").contains("Usage: installer")
                .contains("facts").contains("help");
    }

    @Test
    void versionNamesTheInstallerVersion() {
        int exit = run("--version");

        assertThat(exit).isZero();
        assertThat(out.toString().strip()).isEqualTo("ultracloud-installer " + System.getProperty("installer.version"));
    }

    @Test
    void helpOfFactsDescribesTheRecordedTreeOption() {
        int exit = run("help", "facts");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("--root=DIR").contains("DIR/recorded/addresses");
    }
}
