package com.ultracloud.deployer.gateway.problem;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * The database could not be reached (restarted, failed over, the pool could not connect): a temporary state of the
 * deployer, not a fault of the request, so 503 with {@code Retry-After} instead of a 500. Installers and agents back
 * off by it; nothing was written, because the command's transaction never committed.
 */
public final class DatabaseUnavailable {

    /** Long enough for a PostgreSQL restart, short enough that a rack waits little once it is back. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseUnavailable() {
    }

    /** True when {@code e} or one of its causes says the database connection failed. */
    public static boolean causes(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
                    || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            // SQLSTATE class 08 is "connection exception"; 57P01-57P03 are an administrator's shutdown or a server
            // that is starting or stopping (PostgreSQL), as a restart answers the connections it had
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P0"))) {
                return true;
            }
            if (isHikariClosedConnection(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * HikariCP marks a connection broken at its first connection error (SQLSTATE 08…) and from then on answers every
     * call on it with a "Connection is closed" that has no SQLSTATE. The rollback that follows the first error meets
     * it, and its exception replaces the first one (Axon's and Spring's transaction managers throw the rollback's).
     */
    private static boolean isHikariClosedConnection(Throwable t) {
        return t instanceof SQLException s && s.getSQLState() == null && "Connection is closed".equals(s.getMessage());
    }

    public static ProblemDetail problem(HttpServletRequest request) {
        ProblemDetail p = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
                "the deployer cannot reach its database; nothing was written, retry in " + RETRY_AFTER_SECONDS + " s",
                request);
        p.setProperty("retryable", true);
        return p;
    }

    static ResponseEntity<ProblemDetail> response(HttpServletRequest request) {
        return Problems.retryLater(problem(request), RETRY_AFTER_SECONDS);
    }
}
