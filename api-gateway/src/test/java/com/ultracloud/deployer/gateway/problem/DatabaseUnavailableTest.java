package com.ultracloud.deployer.gateway.problem;

import org.axonframework.commandhandling.CommandExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are a lost database (503, Retry-After) and which stay our fault (500). */
class DatabaseUnavailableTest {

    @Test
    void aLostConnectionAnywhereInTheCauseChainIsTheDatabaseBeingUnavailable() {
        // Hikari's "connection is not available, request timed out", as Spring's transaction manager wraps it
        assertThat(DatabaseUnavailable.causes(new CannotCreateTransactionException("no tx",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available")))).isTrue();
        assertThat(DatabaseUnavailable.causes(new CannotGetJdbcConnectionException("no connection"))).isTrue();
        // PostgreSQL ending the sessions of a restart (57P01) and a broken socket (08006), under Axon's wrapper
        assertThat(DatabaseUnavailable.causes(new CommandExecutionException("failed", new IllegalStateException("append",
                new SQLException("terminating connection due to administrator command", "57P01"))))).isTrue();
        assertThat(DatabaseUnavailable.causes(new RuntimeException(new SQLException("I/O error", "08006")))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(DatabaseUnavailable.causes(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseUnavailable.causes(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseUnavailable.causes(new SQLException("no state"))).isFalse();
    }

    @Test
    void theAnswerIsA503ProblemThatSaysWhenToComeBack() {
        var response = DatabaseUnavailable.response(new MockHttpServletRequest("GET", "/api/v1/machines"));
        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(response.getBody().getType().toString()).isEqualTo("urn:ultracloud:problem:database-unavailable");
        assertThat(response.getBody().getProperties()).containsEntry("retryable", true);
    }
}
