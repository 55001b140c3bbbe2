package com.ultracloud.deployer.machine.domain.credentials;

import com.ultracloud.deployer.machine.api.MachineId;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * Not a unit test: prints what issuing one node's credentials costs, next to a raw Bouncy Castle baseline
 * measured in the same run — one P-256 key, one Ed25519 key and one CA-signed certificate of the same
 * content, without PEM, OpenSSH encoding, token or fingerprints. Target: issuer/baseline ≤ 1.25.
 *
 * <p>Both sides use the same provider and randomness ({@link Crypto#BC}, one {@link SecureRandom}), are
 * warmed up first, then timed one operation at a time, interleaved, {@code n × rounds} times each.
 *
 * <p>Run from the repository root (offline, no install; the first line writes the test classpath):
 * <pre>
 * mvn -q -B -o -pl machine-aggregate -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * java -cp machine-aggregate/target/test-classes:machine-aggregate/target/classes:$(cat machine-aggregate/target/test.classpath) \
 *     com.ultracloud.deployer.machine.domain.credentials.CredentialIssuerBenchmark [n=200] [rounds=10]
 * </pre>
 */
public final class CredentialIssuerBenchmark {

    private static volatile Object sink;

    private CredentialIssuerBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        ClusterCa ca = ClusterCa.create("bench", clock);
        NodeCredentialIssuer issuer = new NodeCredentialIssuer(ca, random);
        NodeIdentity node = new NodeIdentity(MachineId.ofFingerprint("mac:3c:ec:ef:00:00:01"), "node-001", "node-001",
                "node-001.bench.ultracloud.example", List.of("10.0.10.1/24", "2001:db8:10::1"));

        // warm-up: let the JIT compile both paths before anything is measured
        for (int i = 0; i < Math.max(2 * n, 1_000); i++) {
            sink = issuer.issue(node, clock);
            sink = baseline(ca, random);
            sink = bareBaseline(ca, random);
        }

        // Interleaved, one operation at a time: noise from other processes (builds on a shared machine) hits
        // both sides alike. The median per-op time is the headline (robust to pauses); the mean is shown too.
        double[] issuerMs = new double[n * rounds];
        double[] baselineMs = new double[n * rounds];
        double[] bareMs = new double[n * rounds];
        for (int i = 0; i < n * rounds; i++) {
            long t0 = System.nanoTime();
            sink = issuer.issue(node, clock);
            long t1 = System.nanoTime();
            sink = baseline(ca, random);
            long t2 = System.nanoTime();
            sink = bareBaseline(ca, random);
            long t3 = System.nanoTime();
            issuerMs[i] = (t1 - t0) / 1e6;
            baselineMs[i] = (t2 - t1) / 1e6;
            bareMs[i] = (t3 - t2) / 1e6;
        }
        double issuerMedian = median(issuerMs);
        double baselineMedian = median(baselineMs);
        System.out.printf(Locale.ROOT, "%d operations each (n=%d x %d rounds), interleaved, after %d warm-up iterations; %s %s, %d CPUs%n",
                n * rounds, n, rounds, Math.max(2 * n, 1_000), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "issuer   (TLS cert + PEMs, OpenSSH Ed25519 host key, token, fingerprints):    median %.3f ms/op, mean %.3f ms/op%n",
                issuerMedian, mean(issuerMs));
        System.out.printf(Locale.ROOT, "baseline (P-256 keygen + Ed25519 keygen + sign one same-content certificate): median %.3f ms/op, mean %.3f ms/op%n",
                baselineMedian, mean(baselineMs));
        System.out.printf(Locale.ROOT, "ratio issuer/baseline: %.2f on medians, %.2f on means (target <= 1.25)%n",
                issuerMedian / baselineMedian, mean(issuerMs) / mean(baselineMs));
        System.out.printf(Locale.ROOT, "for reference, bare baseline (same, certificate without extensions): median %.3f ms/op; "
                + "issuer/bare %.2f on medians%n", median(bareMs), issuerMedian / median(bareMs));
    }

    /**
     * The floor: what any issuer must pay for the two keys and one CA-signed certificate of the same content
     * (subject, SANs and extensions built with plain Bouncy Castle calls, so both sides sign the same amount of
     * DER). Not included, because they are the issuer's own work: PEM and OpenSSH encodings, fingerprints,
     * serial hex, the install token.
     */
    static X509CertificateHolder baseline(ClusterCa ca, SecureRandom random) {
        KeyPair tlsKey = Crypto.newP256KeyPair(random);
        Ed25519KeyPairGenerator ed25519 = new Ed25519KeyPairGenerator();
        ed25519.init(new Ed25519KeyGenerationParameters(random));
        AsymmetricCipherKeyPair sshKey = ed25519.generateKeyPair();
        sink = sshKey;
        long now = System.currentTimeMillis();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            return new JcaX509v3CertificateBuilder(ca.subject(), new BigInteger(128, random), new Date(now - 300_000),
                    new Date(now + 90L * 24 * 3600 * 1000), new X500Name("CN=node-001"), tlsKey.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                            new GeneralName(GeneralName.dNSName, "node-001"),
                            new GeneralName(GeneralName.dNSName, "node-001.bench.ultracloud.example"),
                            new GeneralName(GeneralName.iPAddress, "10.0.10.1"),
                            new GeneralName(GeneralName.iPAddress, "2001:db8:10::1")}))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(tlsKey.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca.certificate()))
                    .build(ca.signer(random));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same two keys and a certificate with no extensions at all: what the extensions themselves cost shows here. */
    static X509CertificateHolder bareBaseline(ClusterCa ca, SecureRandom random) {
        KeyPair tlsKey = Crypto.newP256KeyPair(random);
        Ed25519KeyPairGenerator ed25519 = new Ed25519KeyPairGenerator();
        ed25519.init(new Ed25519KeyGenerationParameters(random));
        sink = ed25519.generateKeyPair();
        long now = System.currentTimeMillis();
        return new JcaX509v3CertificateBuilder(ca.subject(), new BigInteger(128, random), new Date(now - 300_000),
                new Date(now + 90L * 24 * 3600 * 1000), new X500Name("CN=node-001"), tlsKey.getPublic())
                .build(ca.signer(random));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }
}
