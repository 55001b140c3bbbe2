package com.ultracloud.deployer.gateway.credentials;

import com.ultracloud.deployer.machine.api.MachineId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Table {@code node_certificate}: every node TLS certificate the cluster CA issued, by serial. After the
 * install that certificate is the node's credential (DESIGN §10): the agent API looks its serial up here.
 * A machine has at most one certificate in force: issuing a new one revokes the others, and reprovision,
 * retirement, a rebound installer and changed hardware revoke it (in the transaction of their event).
 */
@Component
public class NodeCertificates {

    /** One issued certificate; {@code revokedAt} is null while it is in force. */
    public record NodeCertificate(String serial, MachineId machineId, String planId, String fingerprint, Instant notAfter,
                                  Instant issuedAt, Instant revokedAt, String revokedReason) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    private static final RowMapper<NodeCertificate> ROW = (rs, n) -> new NodeCertificate(rs.getString(1),
            MachineId.parse(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
            rs.getTimestamp(6).toInstant(), rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(),
            rs.getString(8));

    private final JdbcTemplate jdbc;
    private final Clock clock;

    NodeCertificates(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records a newly issued certificate of {@code machine} and revokes every other one it had. */
    void issued(MachineId machine, String planId, String serial, String fingerprint, Instant notAfter) {
        Timestamp now = Timestamp.from(clock.instant());
        revokeAll(machine, "superseded by the certificate of plan " + planId);
        jdbc.update("insert into node_certificate (serial, machine_id, plan_id, fingerprint, not_after, issued_at) "
                + "values (?, ?, ?, ?, ?, ?)", serial, machine.toString(), planId, fingerprint, Timestamp.from(notAfter), now);
    }

    /** Revokes every certificate of {@code machine} still in force. */
    public void revokeAll(MachineId machine, String reason) {
        jdbc.update("update node_certificate set revoked_at = ?, revoked_reason = ? where machine_id = ? and revoked_at is null",
                Timestamp.from(clock.instant()), reason.length() > 200 ? reason.substring(0, 200) : reason, machine.toString());
    }

    /** The certificate with this serial (lowercase hex, as issued), revoked or not. */
    public Optional<NodeCertificate> bySerial(String serialHex) {
        return jdbc.query("select serial, machine_id, plan_id, fingerprint, not_after, issued_at, revoked_at, revoked_reason "
                + "from node_certificate where serial = ?", ROW, serialHex).stream().findFirst();
    }
}
