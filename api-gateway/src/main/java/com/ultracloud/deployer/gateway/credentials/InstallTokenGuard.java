package com.ultracloud.deployer.gateway.credentials;

import com.ultracloud.deployer.gateway.problem.ForbiddenException;
import com.ultracloud.deployer.gateway.problem.UnauthorizedException;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.domain.credentials.InstallToken;
import com.ultracloud.deployer.machine.domain.credentials.InstallTokens;
import com.ultracloud.deployer.machine.domain.credentials.KeySealer;
import com.ultracloud.deployer.protocol.InstallProgress;
import com.ultracloud.deployer.gateway.config.DeployerProperties;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * Install tokens at the bootstrap API: the installer presents {@code Authorization: Bearer <token>};
 * only its SHA-256 hash is looked up. No header → 401; a token that matches no row (unknown, superseded
 * by a newer one, shredded), is revoked or expired, or belongs to another machine → 403.
 */
@Component
public class InstallTokenGuard {

    private static final String BEARER = "bearer ";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SealedSecretStore secrets;
    private final DeployerProperties properties;
    private final Clock clock;
    private final KeySealer sealer;

    InstallTokenGuard(SealedSecretStore secrets, DeployerProperties properties, Clock clock, KeySealer sealer) {
        this.secrets = secrets;
        this.properties = properties;
        this.clock = clock;
        this.sealer = sealer;
    }

    /** The secrets the presented token opens, or 401/403. */
    public SealedSecret authorize(String authorization) {
        SealedSecret secret = lookUp(authorization);
        if (secret.revoked()) {
            throw new ForbiddenException("the install token was revoked: the install of machine " + secret.machineId() + " has ended");
        }
        if (!clock.instant().isBefore(secret.tokenExpiresAt())) {
            throw new ForbiddenException("the install token expired at " + secret.tokenExpiresAt() + "; discover again for a new one");
        }
        return secret;
    }

    /**
     * The ended install the presented token was for (its secrets revoked when the install ended), if it
     * is one: lets the installer repeat its final report, whose answer a crash may have lost, and get the
     * same answer. Opens nothing: a revoked row's private keys are shredded.
     */
    public Optional<SealedSecret> endedInstall(String authorization) {
        try {
            return Optional.of(lookUp(authorization)).filter(SealedSecret::revoked);
        } catch (UnauthorizedException | ForbiddenException e) {
            return Optional.empty();
        }
    }

    private SealedSecret lookUp(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new UnauthorizedException("an install token is required: Authorization: Bearer <installToken> (from discover)");
        }
        String header = authorization.strip();
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new UnauthorizedException("the Authorization header must be: Bearer <installToken>");
        }
        String token = header.substring(BEARER.length()).strip();
        if (token.isEmpty() || token.length() > 256) {
            throw new UnauthorizedException("the Authorization header must be: Bearer <installToken>");
        }
        SealedSecret secret = secrets.byTokenHash(InstallTokens.hash(token))
                .orElseThrow(() -> new ForbiddenException("the install token is not valid (unknown, replaced by a newer one, or shredded)"));
        if (!InstallTokens.matches(token, secret.tokenHash())) {
            throw new ForbiddenException("the install token is not valid");
        }
        return secret;
    }

    /**
     * Progress reports must also carry the plan's progress token, which only the sealed plan secrets deliver:
     * a copied install token alone cannot report on (finish, fail) the install. Compared in constant time.
     */
    public void requireProgressToken(SealedSecret secret, String presented) {
        if (secret.sealedProgressToken() == null) {
            return; // a plan issued before progress tokens existed
        }
        String expected = progressToken(secret);
        if (presented == null || !MessageDigest.isEqual(InstallTokens.hash(expected).getBytes(StandardCharsets.US_ASCII),
                InstallTokens.hash(presented.strip()).getBytes(StandardCharsets.US_ASCII))) {
            throw new ForbiddenException("progress reports need the plan's progress token (" + InstallProgress.PROGRESS_TOKEN_HEADER
                    + "), which only the installer that opened the plan's sealed secrets has");
        }
    }

    /** The plan's progress token in the clear, to go into its sealed secrets (null for plans from before them). */
    public String progressToken(SealedSecret secret) {
        return secret.sealedProgressToken() == null ? null
                : sealer.unsealString(secret.sealedProgressToken(), progressTokenOwner(secret.machineId()));
    }

    /** A new random progress token for a plan of {@code machine}, sealed under the KEK. */
    static byte[] sealProgressToken(MachineId machine, KeySealer sealer) {
        return sealer.sealString(InstallTokens.issue(InstallTokens.DEFAULT_TTL, Clock.systemUTC(), RANDOM).value(),
                progressTokenOwner(machine));
    }

    private static String progressTokenOwner(MachineId machine) {
        return "machine:" + machine + ":progress-token";
    }

    /** {@link #authorize} for a request that names its machine: another machine's token is refused. */
    public SealedSecret authorize(String authorization, MachineId machine) {
        SealedSecret secret = authorize(authorization);
        if (machine != null && !machine.equals(secret.machineId())) {
            throw new ForbiddenException("the install token is bound to another machine, not " + machine);
        }
        return secret;
    }

    /**
     * A new install token for the machine's current secrets, handed to the installer whose public key is
     * {@code installerPublicKey} (each discover while install-pending gets a fresh one; the previous one stops
     * working; the plan will be sealed to this key). Only for the installer the install is bound to: the caller
     * checks that. Empty while no plan's secrets exist yet, or when they are revoked.
     */
    public Optional<String> reissue(MachineId machine, byte[] installerPublicKey) {
        Optional<SealedSecret> current = secrets.byMachine(machine).filter(s -> !s.revoked());
        if (current.isEmpty()) {
            return Optional.empty();
        }
        InstallToken token = InstallTokens.issue(properties.credentials().installTokenTtl(), clock, RANDOM);
        return secrets.rotateToken(machine, current.get().planId(), token.hash(), token.expiresAt(), installerPublicKey)
                ? Optional.of(token.value()) : Optional.empty();
    }
}
