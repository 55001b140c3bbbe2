package com.ultracloud.deployer.gateway.credentials;

import com.ultracloud.deployer.gateway.config.OwnerOnlyFile;
import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.problem.UnauthorizedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The cluster join secret (DESIGN §10): proof that a discover comes from this cluster's installer image,
 * which carries it ({@code ultracloud.join=} on the kernel command line, or a file in the image). Discover
 * must present it as {@value #HEADER}; it is compared in constant time (as SHA-256 digests, so not even its
 * length leaks) and never logged, recorded or echoed.
 * <p>
 * {@code deployer.bootstrap.join-secret} when configured; otherwise {@code <data-dir>/join-secret}, generated
 * on first start (0600) — only its path is logged. Not enforced in lab mode
 * ({@code deployer.security.enabled=false}) or with {@code deployer.bootstrap.enrollment=open}, each with a
 * loud warning; the file is made anyway, so an image built in the lab keeps working once it is enforced.
 */
@Component
public class JoinSecret {

    /** The request header that carries the join secret. */
    public static final String HEADER = "X-Join-Secret";
    static final String FILE = "join-secret";
    /** What a configured secret must look like: long enough to guess at no rate, safe on a kernel command line. */
    private static final Pattern USABLE = Pattern.compile("[\\x21-\\x7e]{16,256}");
    /** The 401's WWW-Authenticate: there is no registered scheme for a header secret, so it names the header. */
    private static final String CHALLENGE = "JoinSecret realm=\"deployer-bootstrap\", header=\"" + HEADER + "\"";

    private static final Logger log = LoggerFactory.getLogger(JoinSecret.class);

    private final byte[] digest;
    private final String secret;
    private final boolean required;

    JoinSecret(DeployerProperties properties) {
        String configured = properties.bootstrap().joinSecret();
        String secret;
        if (configured != null && !configured.isBlank()) {
            if (!USABLE.matcher(configured).matches()) {
                throw new IllegalStateException("deployer.bootstrap.join-secret must be 16 to 256 printable ASCII "
                        + "characters without spaces (it goes on a kernel command line)");
            }
            secret = configured;
            log.info("cluster join secret from configuration (deployer.bootstrap.join-secret)");
        } else {
            Path file = properties.dataDir().resolve(FILE).toAbsolutePath();
            secret = OwnerOnlyFile.readOrCreate(file, JoinSecret::generate);
            log.info("cluster join secret in {}: give it to the installer image (nix/iso: ultracloud.installer.joinSecretFile, "
                    + "or ultracloud.join= on the kernel command line)", file);
        }
        this.digest = sha256(secret);
        this.secret = secret;
        if (!properties.security().enabled()) {
            required = false;
            log.warn("LAB MODE (deployer.security.enabled=false): discover accepts callers WITHOUT the cluster join secret; "
                    + "anyone who can reach this gateway can enroll a machine. Never run it like this where others can reach it.");
        } else if (properties.bootstrap().enrollment() == DeployerProperties.JoinPolicy.OPEN) {
            required = false;
            log.warn("OPEN ENROLLMENT (deployer.bootstrap.enrollment=open): discover accepts callers WITHOUT the cluster "
                    + "join secret; anyone who can reach this gateway can enroll a machine.");
        } else {
            required = true;
        }
    }

    /**
     * The kernel parameter that gives an installer the secret ({@code ultracloud.join=<secret>}): for the kexec
     * directive of an authenticated node's agent only (docs/day2.md), never for a log or an error body.
     */
    public String kernelParameter() {
        return "ultracloud.join=" + secret;
    }

    /** Whether discover must carry the join secret. */
    public boolean required() {
        return required;
    }

    /**
     * Lets the request through when it carries the join secret (or none is required).
     *
     * @throws UnauthorizedException (401) when the secret is required and missing or wrong
     */
    public void check(String presented) {
        if (!required) {
            return;
        }
        if (presented == null || presented.isBlank()) {
            throw new UnauthorizedException("discover requires the cluster join secret in the " + HEADER
                    + " header: boot this cluster's installer image, which carries it", CHALLENGE);
        }
        if (!MessageDigest.isEqual(digest, sha256(presented.strip()))) {
            throw new UnauthorizedException("the " + HEADER + " header does not carry this cluster's join secret: "
                    + "the installer image was built for another cluster, or its secret was rotated", CHALLENGE);
        }
    }

    /** 256 random bits, URL-safe base64 without padding: 43 characters, safe on a kernel command line. */
    static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "JoinSecret[required=" + required + ", secret=(redacted)]";
    }
}
