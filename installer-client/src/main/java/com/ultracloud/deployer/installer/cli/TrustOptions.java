package com.ultracloud.deployer.installer.cli;

import com.ultracloud.deployer.installer.run.DeployerClient;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;

/**
 * What the installer proves itself with and checks the deployer against (DESIGN §10): the cluster join
 * secret and the cluster CA certificate. Shared by {@code run} and {@code lab}. With {@code --root} (run),
 * the image's defaults are read under it: {@code ultracloud.join=} on the kernel command line, else
 * {@code /etc/ultracloud/join-secret}; {@code /etc/ultracloud/deployer-ca.pem}.
 */
final class TrustOptions {

    static final String IMAGE_JOIN_SECRET = "etc/ultracloud/join-secret";
    static final String IMAGE_CA = "etc/ultracloud/deployer-ca.pem";

    @Option(names = "--join-secret-file", paramLabel = "FILE",
            description = "The cluster join secret (first line of FILE). Default: ultracloud.join= on the kernel command line, "
                    + "else /etc/ultracloud/join-secret, else none (for a deployer with open enrollment).")
    Path joinSecretFile;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "The cluster CA certificate (PEM) to trust for an https:// deployer URL, instead of the JDK's "
                    + "default CAs. Default: /etc/ultracloud/deployer-ca.pem when present.")
    Path caCertificate;

    /** The access of an installer whose image is {@code root} (its kernel command line and /etc). */
    DeployerClient.Access access(Path root) {
        String secret = joinSecretFile != null ? required(joinSecretFile, "--join-secret-file")
                : RunCommand.DeployerUrls.fromCmdline(root.resolve("proc/cmdline"), "ultracloud.join=")
                .or(() -> RunCommand.DeployerUrls.firstLine(root.resolve(IMAGE_JOIN_SECRET))).orElse(null);
        Path ca = caCertificate != null ? caCertificate
                : Optional.of(root.resolve(IMAGE_CA)).filter(Files::isRegularFile).orElse(null);
        return new DeployerClient.Access(secret, ca == null ? null : trusting(ca));
    }

    /** The access of the lab: only what the options say, and the operator token it acts with. */
    DeployerClient.Access labAccess(Path operatorTokenFile) {
        String operatorToken = operatorTokenFile == null ? null : RunCommand.DeployerUrls.firstLine(operatorTokenFile)
                .orElseThrow(() -> new InstallerException("bad-operator-token", "--operator-token-file " + operatorTokenFile
                        + " is not a readable file with an API token on its first line", ExitCodes.USAGE));
        return new DeployerClient.Access(joinSecretFile == null ? null : required(joinSecretFile, "--join-secret-file"),
                caCertificate == null ? null : trusting(caCertificate), operatorToken);
    }

    private static String required(Path file, String option) {
        return RunCommand.DeployerUrls.firstLine(file).orElseThrow(() -> new InstallerException("bad-join-secret",
                option + " " + file + " is not a readable file with the join secret on its first line", ExitCodes.USAGE));
    }

    /** A TLS context that trusts exactly the certificates in {@code pem}. */
    static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new InstallerException("bad-ca-cert", "--ca-cert " + pem + " holds no certificate", ExitCodes.USAGE);
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : certificates) {
                trust.setCertificateEntry("ca-" + n++, c);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new InstallerException("bad-ca-cert", "--ca-cert " + pem + " is not a readable PEM certificate ("
                    + e.getClass().getSimpleName() + ")", ExitCodes.USAGE);
        }
    }
}
