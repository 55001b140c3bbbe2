package com.ultracloud.deployer.gateway.credentials;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.machine.domain.credentials.ClusterCa;
import com.ultracloud.deployer.machine.domain.credentials.KeySealer;
import com.ultracloud.deployer.machine.domain.credentials.StoredClusterCa;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

/**
 * The cluster CA in table {@code cluster_ca}: created and sealed on first start, loaded (and its key
 * unsealed with the KEK) on every later start. Two gateways starting together on one database agree:
 * the loser of the insert loads the winner's CA.
 */
@Component
public class ClusterCaStore {

    private static final Logger log = LoggerFactory.getLogger(ClusterCaStore.class);
    static final String ROW_ID = "cluster";

    private final ClusterCa ca;

    /** The CA certificate (public) as a file in the data dir, for the installer image (nix/iso: deployerCaCertificate). */
    static final String CERTIFICATE_FILE = "cluster-ca.pem";

    ClusterCaStore(JdbcTemplate jdbc, KeySealer sealer, DeployerProperties properties, Clock clock) {
        this.ca = loadOrCreate(jdbc, sealer, properties.credentials().clusterName(), clock);
        writeCertificate(properties.dataDir().resolve(CERTIFICATE_FILE).toAbsolutePath());
    }

    /** Best effort: the file is a convenience for building the installer image, the database is what counts. */
    private void writeCertificate(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + CERTIFICATE_FILE, ".tmp");
            Files.writeString(tmp, ca.certificatePem(), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("cluster CA certificate in {} (for the installer image and node trust stores)", file);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot write the cluster CA certificate to {}: {}", file, e.getMessage());
        }
    }

    public ClusterCa ca() {
        return ca;
    }

    private static ClusterCa loadOrCreate(JdbcTemplate jdbc, KeySealer sealer, String clusterName, Clock clock) {
        List<StoredClusterCa> stored = read(jdbc);
        if (stored.isEmpty()) {
            ClusterCa created = ClusterCa.create(clusterName, clock);
            StoredClusterCa sealed = created.seal(sealer);
            try {
                jdbc.update("insert into cluster_ca (id, certificate_pem, sealed_private_key, kek_id, created_at) values (?, ?, ?, ?, ?)",
                        ROW_ID, sealed.certificatePem(), sealed.sealedPrivateKey(), sealer.kekId(),
                        Timestamp.from(clock.instant()));
                log.info("created the cluster CA {} ({})", created.subject(), created.fingerprint());
                return created;
            } catch (DuplicateKeyException raced) {
                stored = read(jdbc);
            }
        }
        ClusterCa loaded = ClusterCa.load(stored.get(0), sealer);
        log.info("loaded the cluster CA {} ({})", loaded.subject(), loaded.fingerprint());
        return loaded;
    }

    private static List<StoredClusterCa> read(JdbcTemplate jdbc) {
        return jdbc.query("select certificate_pem, sealed_private_key from cluster_ca where id = ?",
                (rs, n) -> new StoredClusterCa(rs.getString(1), rs.getBytes(2)), ROW_ID);
    }
}
