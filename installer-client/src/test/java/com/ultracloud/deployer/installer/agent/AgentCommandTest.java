package com.ultracloud.deployer.installer.agent;

import com.ultracloud.deployer.installer.cli.InstallerCli;
import com.ultracloud.deployer.protocol.agent.ActivationReport;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;
import com.ultracloud.deployer.protocol.agent.DesiredSystem.SystemTarget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static com.ultracloud.deployer.installer.agent.NodeRoot.NEW;
import static com.ultracloud.deployer.installer.agent.NodeRoot.OLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code installer agent} as the nix-agent unit runs it: over real mutual TLS with the node credential in the
 * installer's layout (certificates made by keytool), the simulated executor, {@code --once}; and its usage errors.
 */
class AgentCommandTest {

    @TempDir
    static Path pkiDir;
    static TestPki pki;

    @TempDir
    Path tmp;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.create(pkiDir);
    }

    @Test
    void overMutualTlsTheAgentPresentsItsNodeCertificateActivatesAndReports() throws Exception {
        Path credentials = pki.writeNodeCredential(tmp.resolve("var/lib/ultracloud/tls"));
        NodeRoot node = new NodeRoot(Files.createDirectories(tmp.resolve("root")), OLD);
        try (FakeDeployer deployer = FakeDeployer.https(pki.serverContext())) {
            deployer.desire(new DesiredSystem("web-7", 3, SystemTarget.storePath(NEW), "switch", 120, 60, null, "automatic", null));

            Run run = agent("--deployer", deployer.url().toString(), "--credentials", credentials.toString(),
                    "--state-dir", tmp.resolve("state").toString(), "--executor", "simulated", "--once", "--root", node.root.toString());

            assertThat(run.exit).as(run.err).isEqualTo(0);
            assertThat(run.out).contains("agent ", "deployer " + deployer.url() + ", node credential " + credentials);
            assertThat(deployer.requests()).isNotEmpty().allSatisfy(r ->
                    assertThat(r.clientCertificate()).isEqualTo("CN=machine-1,O=ultracloud node"));
            assertThat(deployer.reports()).last().isEqualTo(
                    new ActivationReport("web-7", "healthy", NEW, 3L, "no health check", "boot-default"));
            assertThat(tmp.resolve("state/last-activation.json")).exists();

            // the same server refuses a client that trusts the CA but presents no certificate
            javax.net.ssl.SSLContext noCertificate = javax.net.ssl.SSLContext.getInstance("TLS");
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            java.security.KeyStore ca = java.security.KeyStore.getInstance("PKCS12");
            ca.load(null, null);
            try (var in = Files.newInputStream(credentials.resolve("ca.crt"))) {
                ca.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            trust.init(ca);
            noCertificate.init(null, trust.getTrustManagers(), null);
            assertThatThrownBy(() -> new AgentClient(deployer.url(), noCertificate, java.time.Duration.ofSeconds(5))
                    .desiredSystem(null, java.time.Duration.ofSeconds(1)))
                    .isInstanceOf(com.ultracloud.deployer.installer.run.DeployerException.class)
                    .hasMessageContaining("desired-system: cannot reach the deployer at " + deployer.url());
        }
    }

    @Test
    void aDryRunPrintsTheActivationAndChangesNothingReportsNothing() throws Exception {
        NodeRoot node = new NodeRoot(Files.createDirectories(tmp.resolve("root")), OLD);
        try (HealthEndpoint health = new HealthEndpoint(200); FakeDeployer deployer = FakeDeployer.http()) {
            deployer.desire(new DesiredSystem("web-7", 3, SystemTarget.flake("git+https://git.lab/fleet", "cp-1"), "switch", 120, 60,
                    DesiredSystem.HealthCheck.http(health.url(), 200), "automatic", null));

            Run run = agent("--deployer", deployer.url().toString(), "--state-dir", tmp.resolve("state").toString(),
                    "--executor", "dry-run", "--once", "--root", node.root.toString());

            assertThat(run.exit).as(run.err).isEqualTo(0);
            assertThat(run.out).contains(
                    "[dry-run] build: nix build --no-link --print-out-paths git+https://git.lab/fleet#nixosConfigurations.cp-1.config.system.build.toplevel",
                    "[dry-run] set-profile: nix-env -p /nix/var/nix/profiles/system --set '/nix/store/<built-by-nix-build>'",
                    "[dry-run] activate: '/nix/store/<built-by-nix-build>/bin/switch-to-configuration' test",
                    "[dry-run] boot-default: '/nix/store/<built-by-nix-build>/bin/switch-to-configuration' boot",
                    "[dry-run] would report healthy (boot-default)");
            assertThat(deployer.reports()).isEmpty();
            assertThat(health.probes).hasValue(0);
            assertThat(tmp.resolve("state")).doesNotExist();
        }
    }

    @Test
    void anHttpsDeployerWithoutTheNodeCredentialIsAUsageErrorNamingTheFile() {
        Path missing = tmp.resolve("no-tls");
        Run run = agent("--deployer", "https://127.0.0.1:1", "--credentials", missing.toString(), "--once");
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err.strip()).isEqualTo("bad-credentials: cannot read " + missing.resolve("node.key")
                + " (NoSuchFileException); the installer writes the node credential there");
    }

    @Test
    void aKeyThatIsNotPkcs8IsRefusedWithoutPrintingIt() throws Exception {
        Path credentials = pki.writeNodeCredential(tmp.resolve("tls"));
        Files.writeString(credentials.resolve("node.key"), "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBsecretsecret\n-----END EC PRIVATE KEY-----\n");
        Run run = agent("--deployer", "https://127.0.0.1:1", "--credentials", credentials.toString(), "--once");
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("bad-credentials: " + credentials.resolve("node.key") + " holds no PKCS#8 private key")
                .doesNotContain("secretsecret");
    }

    @Test
    void anUnknownExecutorOrAMissingDeployerIsAUsageError() {
        Run bad = agent("--deployer", "http://127.0.0.1:1", "--executor", "chroot");
        assertThat(bad.exit).isEqualTo(2);
        assertThat(bad.err).contains("expected real, dry-run or simulated, not 'chroot'");
        Run none = agent("--once");
        assertThat(none.exit).isEqualTo(2);
        assertThat(none.err).contains("Missing required option: '--deployer=URL'");
    }

    record Run(int exit, String out, String err) {
    }

    static Run agent(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = InstallerCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "agent";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = cli.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }
}
