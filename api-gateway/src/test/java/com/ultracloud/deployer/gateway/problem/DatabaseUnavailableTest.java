package com.ultracloud.deployer.gateway.problem;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.commandhandling.CommandExecutionException;
import org.hibernate.TransactionException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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

    /** The rollback after a connection error, as DatabaseRestartIT met it: on the connection Hikari marked broken. */
    @Test
    void aRollbackOnAConnectionHikariClosedIsTheDatabaseBeingUnavailable() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:closed-connection");
        config.setMaximumPoolSize(1);
        SQLException closed;
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Connection connection = pool.getConnection();
            connection.close();
            closed = catchThrowableOfType(SQLException.class, connection::rollback);
        }
        assertThat((Throwable) closed).as("Hikari's answer on a closed connection").isNotNull();
        assertThat(DatabaseUnavailable.causes(new JpaSystemException(new TransactionException(
                "Unable to rollback against JDBC Connection", closed)))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(DatabaseUnavailable.causes(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseUnavailable.causes(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseUnavailable.causes(new SQLException("no state"))).isFalse();
        assertThat(DatabaseUnavailable.causes(new SQLException("Connection is closed", "42000"))).isFalse();
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
