package com.ultracloud.deployer.gateway.credentials;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.domain.credentials.SealedNodeSecrets;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Table {@code sealed_secret}: one row per machine. Storing a new plan's secrets replaces the row
 * (the old sealed keys are gone); {@link #shred} deletes it; {@link #revoke} ends its token.
 */
@Component
public class SealedSecretStore {

    private static final String COLUMNS = "machine_id, plan_id, sealed_tls_key, sealed_ssh_key, certificate_pem, "
            + "ca_certificate_pem, ssh_public_key, token_hash, token_expires_at, revoked, plan_json, installer_public_key, "
            + "sealed_progress_token";
    private static final RowMapper<SealedSecret> ROW = (rs, n) -> {
        MachineId id = MachineId.parse(rs.getString(1));
        return new SealedSecret(id, rs.getString(2), new SealedNodeSecrets(id, rs.getBytes(3), rs.getBytes(4)),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant(),
                rs.getBoolean(10), rs.getString(11), rs.getBytes(12), rs.getBytes(13));
    };

    private final JdbcTemplate jdbc;
    private final Clock clock;

    SealedSecretStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Replaces the machine's secrets (shredding the previous ones) with {@code secret}. */
    @Transactional
    public void replace(SealedSecret s) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("delete from sealed_secret where machine_id = ?", s.machineId().toString());
        jdbc.update("insert into sealed_secret (" + COLUMNS + ", created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                s.machineId().toString(), s.planId(), s.sealed().sealedTlsPrivateKey(), s.sealed().sealedSshPrivateKey(),
                s.certificatePem(), s.caCertificatePem(), s.sshPublicKey(), s.tokenHash(),
                Timestamp.from(s.tokenExpiresAt()), s.revoked(), s.planJson(), s.installerPublicKey(), s.sealedProgressToken(),
                now, now);
    }

    public Optional<SealedSecret> byMachine(MachineId id) {
        return jdbc.query("select " + COLUMNS + " from sealed_secret where machine_id = ?", ROW, id.toString())
                .stream().findFirst();
    }

    public Optional<SealedSecret> byTokenHash(String tokenHash) {
        return jdbc.query("select " + COLUMNS + " from sealed_secret where token_hash = ?", ROW, tokenHash)
                .stream().findFirst();
    }

    /**
     * Gives the machine's (not revoked) secrets a new token hash and expiry, handed to the installer with
     * {@code installerPublicKey} (the plan is sealed to it); false when there is no such row.
     */
    public boolean rotateToken(MachineId id, String planId, String tokenHash, Instant expiresAt, byte[] installerPublicKey) {
        return jdbc.update("update sealed_secret set token_hash = ?, token_expires_at = ?, installer_public_key = ?, updated_at = ? "
                        + "where machine_id = ? and plan_id = ? and revoked = false",
                tokenHash, Timestamp.from(expiresAt), installerPublicKey, Timestamp.from(clock.instant()), id.toString(),
                planId) == 1;
    }

    /** Ends the machine's install token (the install is over); the sealed keys stay until reprovision or retire. */
    public void revoke(MachineId id) {
        jdbc.update("update sealed_secret set revoked = true, updated_at = ? where machine_id = ?",
                Timestamp.from(clock.instant()), id.toString());
    }

    /** Deletes the machine's sealed secrets and token hash (reprovision, retire). */
    public void shred(MachineId id) {
        jdbc.update("delete from sealed_secret where machine_id = ?", id.toString());
    }
}
