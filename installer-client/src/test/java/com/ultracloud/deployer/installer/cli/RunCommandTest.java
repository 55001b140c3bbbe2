package com.ultracloud.deployer.installer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.installer.run.StubDeployer;
import com.ultracloud.deployer.installer.run.TestMachines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static com.ultracloud.deployer.installer.run.StubDeployer.Answer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code installer run} as a user sees it: --dry-run, where the URL comes from, one-line errors. */
class RunCommandTest {

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

    private Path factsFile() throws Exception {
        Path f = dir.resolve("facts.json");
        new ObjectMapper().writeValue(f.toFile(), TestMachines.MACHINE);
        return f;
    }

    @Test
    void dryRunPrintsTheCommandsAndFilesChangesNothingAndReportsNothing() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.discover.add(json(200, TestMachines.discover("INSTALL_PENDING", "tok-1", "install")));
            stub.plan.add(json(200, TestMachines.plan("plan-1", TestMachines.SMALL_NVME, "single-ext4")));
            Path target = dir.resolve("mnt");
            Path root = Files.createDirectories(dir.resolve("root"));

            int exit = run("run", "--deployer", stub.url().toString(), "--facts", factsFile().toString(),
                    "--root", root.toString(), "--target", target.toString(), "--dry-run");

            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString())
                    .contains("[dry-run] disko: disko --mode disko --root-mountpoint " + target
                            + " --argstr layout single-ext4 --argstr device " + TestMachines.SMALL_NVME + " /etc/ultracloud/disko")
                    .contains("[dry-run] would write " + target.resolve("etc/ssh/ssh_host_ed25519_key") + " (rw-------")
                    .contains("[dry-run] would write " + target.resolve("var/lib/ultracloud/tls/node.key") + " (rw-------")
                    .contains("[dry-run] nixos-install: nixos-install --flake 'git+https://git.lab/fleet?ref=main#cp-1' --no-root-passwd --root " + target)
                    .contains("[dry-run] reboot: systemctl reboot");
            assertThat(target).doesNotExist();
            assertThat(root.resolve("run")).doesNotExist();
            assertThat(stub.requests("/api/v1/bootstrap/progress")).isEmpty();
        }
    }

    @Test
    void theJoinSecretComesFromTheOptionElseTheKernelCommandLineElseTheImage() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/cmdline"), "BOOT_IMAGE=/bzImage quiet\n");
        TrustOptions trust = new TrustOptions();
        assertThat(trust.access(root).joinSecret()).as("none: a deployer with open enrollment").isNull();
        Files.createDirectories(root.resolve("etc/ultracloud"));
        Files.writeString(root.resolve("etc/ultracloud/join-secret"), "from-the-image-0123456789\n");
        assertThat(trust.access(root).joinSecret()).isEqualTo("from-the-image-0123456789");
        Files.writeString(root.resolve("proc/cmdline"), "BOOT_IMAGE=/bzImage ultracloud.join=from-the-cmdline-0123 quiet\n");
        assertThat(trust.access(root).joinSecret()).isEqualTo("from-the-cmdline-0123");
        Path file = Files.writeString(dir.resolve("secret"), "from-the-option-0123456\n");
        trust.joinSecretFile = file;
        assertThat(trust.access(root).joinSecret()).isEqualTo("from-the-option-0123456");
        assertThat(trust.access(root).toString()).doesNotContain("from-the");
        trust.joinSecretFile = dir.resolve("missing");
        assertThat(run("run", "--deployer", "http://127.0.0.1:9", "--join-secret-file", dir.resolve("missing").toString(),
                "--facts", factsFile().toString(), "--root", root.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("bad-join-secret: --join-secret-file ");
    }

    @Test
    void theJoinSecretAndThisBootsKeyGoWithEveryDiscoverAndTheKeyOutlivesARestart() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.discover.add(json(200, TestMachines.discover("INSTALL_PENDING", "tok-1", "install")));
            stub.plan.add(json(200, TestMachines.plan("plan-1", TestMachines.SMALL_NVME, "single-ext4")));
            stub.progress.add(json(202, TestMachines.ack("INSTALLING")));
            Path root = Files.createDirectories(dir.resolve("root"));
            Path secret = Files.writeString(dir.resolve("join-secret"), "the-cluster-join-secret-01\n");
            for (int boot = 0; boot < 2; boot++) {
                int exit = run("run", "--deployer", stub.url().toString(), "--facts", factsFile().toString(), "--simulate",
                        "--root", root.toString(), "--target", dir.resolve("mnt").toString(), "--join-secret-file", secret.toString());
                assertThat(exit).as(out + "" + err).isZero();
            }
            var discovers = stub.requests("/api/v1/bootstrap/discover");
            assertThat(discovers).hasSize(2).allSatisfy(r -> assertThat(r.joinSecret()).isEqualTo("the-cluster-join-secret-01"));
            String key = discovers.get(0).json().path("installer").path("publicKey").asText();
            assertThat(key).isNotBlank().isEqualTo(discovers.get(1).json().path("installer").path("publicKey").asText());
            Path keyFile = root.resolve("run/ultracloud/installer.key");
            assertThat(java.nio.file.Files.getPosixFilePermissions(keyFile)).containsExactlyInAnyOrder(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            String fingerprint = com.ultracloud.deployer.protocol.seal.InstallerKey.fingerprintOf(java.util.Base64.getDecoder().decode(key));
            assertThat(out.toString()).contains("installer key " + fingerprint).doesNotContain("the-cluster-join-secret-01");
            assertThat(Files.readString(root.resolve("run/ultracloud/status"))).contains("key:     " + fingerprint);
            assertThat(stub.requests("/api/v1/bootstrap/progress"))
                    .allSatisfy(r -> assertThat(r.progressToken()).isEqualTo("progress-plan-1"));
            assertThat(Files.readString(dir.resolve("mnt/var/lib/ultracloud/tls/node.key"))).contains("TLSKEY");
        }
    }

    @Test
    void theUrlComesFromTheKernelCommandLineElseTheDhcpFile() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("run/ultracloud"));
        Files.writeString(root.resolve("run/ultracloud/deployer"), "http://from-dhcp.example:8080\n");
        Files.writeString(root.resolve("proc/cmdline"), "BOOT_IMAGE=/bzImage quiet\n");
        assertThat(RunCommand.DeployerUrls.resolve(null, root)).isEqualTo(URI.create("http://from-dhcp.example:8080"));

        Files.writeString(root.resolve("proc/cmdline"), "BOOT_IMAGE=/bzImage ultracloud.deployer=https://deployer.lab:8443/ quiet\n");
        assertThat(RunCommand.DeployerUrls.resolve(null, root)).isEqualTo(URI.create("https://deployer.lab:8443"));
        assertThat(RunCommand.DeployerUrls.resolve("http://option.example", root)).isEqualTo(URI.create("http://option.example"));
    }

    @Test
    void withoutAnyUrlTheRunStopsWithOneLine() throws Exception {
        Path root = Files.createDirectories(dir.resolve("empty"));
        int exit = run("run", "--root", root.toString(), "--facts", factsFile().toString());
        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("no-deployer: no deployer URL: pass --deployer URL, boot with ultracloud.deployer=URL, "
                + "or serve it by DHCP" + System.lineSeparator());
    }

    @Test
    void aBadUrlIsOneLineAndAUsageExit() throws Exception {
        int exit = run("run", "--deployer", "deployer.lab:8080", "--facts", factsFile().toString(), "--root", dir.toString());
        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("bad-deployer-url: 'deployer.lab:8080' is not an http:// or https:// URL");
    }
}
