package com.ultracloud.deployer.gateway.rollout;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where host deployments get their generation (docs/rollout.md, "Generations"): the database sequence
 * {@code host_deployment_generation} (V28). Every replica draws from the same sequence in the shared database, so
 * generations increase across replicas without coordination; a number drawn by a request that then fails is
 * simply skipped (generations order deployments, they need not be dense).
 */
@Component
class DeploymentGenerations {

    private final JdbcTemplate jdbc;
    private final String next;

    DeploymentGenerations(JdbcTemplate jdbc, DataSource dataSource) throws SQLException {
        this.jdbc = jdbc;
        try (Connection c = dataSource.getConnection()) {
            boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
            this.next = postgres ? "select nextval('host_deployment_generation')"
                    : "select next value for host_deployment_generation";
        }
    }

    /** The next generation: higher than every one handed out before, on any replica. */
    long next() {
        Long n = jdbc.queryForObject(next, Long.class);
        if (n == null) {
            throw new IllegalStateException("the host deployment generation sequence answered nothing");
        }
        return n;
    }
}
