package com.ultracloud.deployer.gateway.security;

import com.ultracloud.deployer.gateway.problem.ConflictException;
import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import com.ultracloud.deployer.gateway.problem.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operator API tokens in table {@code api_token}: created with a name, a role and an expiry, shown
 * once, stored only as a SHA-256 hash (enough for 256 random bits: nothing to brute-force, so no slow
 * hash is needed), revocable. Used by the HTTP API, the first start and the {@code token} command.
 */
@Component
public class ApiTokens {

    private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);

    /** Tokens start with this, so scanners and people recognise a leaked one, and it is never taken for a JWT. */
    public static final String PREFIX = "ucd_";
    static final int TOKEN_BYTES = 32;
    public static final Duration DEFAULT_TTL = Duration.ofDays(90);
    public static final Duration MAX_TTL = Duration.ofDays(3650);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})([dhms])");
    private static final Pattern SHAPE = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");

    private static final String COLUMNS = "name, role, created_at, created_by, expires_at, revoked_at, revoked_by";
    private static final RowMapper<ApiToken> ROW = (rs, n) -> new ApiToken(rs.getString(1),
            Role.valueOf(rs.getString(2)), rs.getTimestamp(3).toInstant(), rs.getString(4),
            rs.getTimestamp(5).toInstant(), instant(rs.getTimestamp(6)), rs.getString(7));

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ApiTokens(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A token and its one-time secret. */
    public record Issued(ApiToken token, String secret) {
        @Override
        public String toString() {
            return "Issued[" + token + ", secret=(redacted)]";
        }
    }

    /**
     * A new token from the words an operator typed (HTTP body or command line): {@code role} one of
     * viewer, operator, admin; {@code expiresIn} like {@code 30d}, {@code 12h}, {@code 90m} or ISO-8601
     * {@code P30D} (null: {@link #DEFAULT_TTL}). Every invalid field is reported at once.
     *
     * @throws InvalidRequestException (400) for a bad name, role or lifetime
     * @throws ConflictException (409 {@code name-taken}) when the name was ever used: names stay unique
     *         so that {@code token:<name>} in the audit trail means one token
     */
    public Issued create(String name, String role, String expiresIn, String createdBy) {
        List<FieldError> errors = new ArrayList<>();
        Role parsedRole = Role.fromWire(role).orElse(null);
        if (parsedRole == null) {
            errors.add(new FieldError("role", "one of " + Role.wireNames()));
        }
        Duration ttl = expiresIn == null ? DEFAULT_TTL : parseDuration(expiresIn);
        if (ttl == null) {
            errors.add(new FieldError("expiresIn", "a duration such as 30d, 12h, 90m or P30D"));
        }
        return create(name, parsedRole, ttl, createdBy, errors);
    }

    /** A new token valid for {@code ttl}; see {@link #create(String, String, String, String)}. */
    public Issued create(String name, Role role, Duration ttl, String createdBy) {
        return create(name, role, ttl == null ? DEFAULT_TTL : ttl, createdBy, new ArrayList<>());
    }

    private Issued create(String name, Role role, Duration lifetime, String createdBy, List<FieldError> errors) {
        if (name == null || !NAME.matcher(name).matches()) {
            errors.add(0, new FieldError("name", "1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit"));
        }
        if (role == null && errors.stream().noneMatch(e -> e.field().equals("role"))) {
            errors.add(new FieldError("role", "one of " + Role.wireNames()));
        }
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_TTL) > 0)) {
            errors.add(new FieldError("expiresIn", "must be positive and at most " + MAX_TTL.toDays() + " days"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("invalid token request: " + errors.size() + " error(s)", errors);
        }
        String secret = newSecret();
        Instant now = clock.instant();
        createdBy = createdBy.length() > 256 ? createdBy.substring(0, 256) : createdBy;
        ApiToken token = new ApiToken(name, role, now, createdBy, now.plus(lifetime), null, null);
        try {
            jdbc.update("insert into api_token (" + COLUMNS + ", token_hash) values (?,?,?,?,?,?,?,?)",
                    name, role.name(), Timestamp.from(now), createdBy, Timestamp.from(token.expiresAt()), null, null,
                    hash(secret));
        } catch (DuplicateKeyException e) {
            throw new ConflictException("name-taken", "an API token named '" + name + "' exists or existed; names are "
                    + "never reused, so that token:" + name + " in the audit trail means one token", Map.of("name", name));
        }
        log.info("API token '{}' ({}) created by {}, expires {}", name, role.wire(), createdBy, token.expiresAt());
        return new Issued(token, secret);
    }

    public List<ApiToken> list() {
        return jdbc.query("select " + COLUMNS + " from api_token order by created_at, name", ROW);
    }

    public Optional<ApiToken> find(String name) {
        return jdbc.query("select " + COLUMNS + " from api_token where name = ?", ROW, name).stream().findFirst();
    }

    public boolean isEmpty() {
        Integer n = jdbc.queryForObject("select count(*) from api_token", Integer.class);
        return n == null || n == 0;
    }

    /** Revokes the token (again: no change); 404 for an unknown name. */
    public ApiToken revoke(String name, String by) {
        by = by.length() > 256 ? by.substring(0, 256) : by;
        int changed = jdbc.update("update api_token set revoked_at = ?, revoked_by = ? where name = ? and revoked_at is null",
                Timestamp.from(clock.instant()), by, name);
        ApiToken token = find(name).orElseThrow(() -> new NotFoundException("no API token named '" + name + "'", null));
        if (changed == 1) {
            log.info("API token '{}' ({}) revoked by {}", name, token.role().wire(), by);
        }
        return token;
    }

    /** Deletes a token that was never handed out (the first start could not write its file). */
    void forget(String name) {
        jdbc.update("delete from api_token where name = ?", name);
    }

    /**
     * The token a presented secret belongs to, checked: the outcome says why a token does not count
     * (unknown, expired, revoked) without ever containing the secret.
     */
    public Verdict verify(String presented) {
        if (presented == null || !SHAPE.matcher(presented).matches()) {
            return new Verdict(null, "the bearer token is not an API token of this deployer");
        }
        String hash = hash(presented);
        // looked up by the hash of the secret: the database never sees the secret, and an index probe on a
        // SHA-256 of 256 random bits tells a timing attacker nothing about other tokens
        List<ApiToken> found = jdbc.query("select " + COLUMNS + " from api_token where token_hash = ?", ROW, hash);
        if (found.isEmpty()) {
            return new Verdict(null, "the API token is not known (never issued, or deleted with its database)");
        }
        ApiToken token = found.get(0);
        return switch (token.status(clock.instant())) {
            case ApiToken.REVOKED -> new Verdict(null, "the API token '" + token.name() + "' was revoked at " + token.revokedAt());
            case ApiToken.EXPIRED -> new Verdict(null, "the API token '" + token.name() + "' expired at " + token.expiresAt());
            default -> new Verdict(token, null);
        };
    }

    /** Either an active token or why the presented secret is refused. */
    public record Verdict(ApiToken token, String refusal) {
        public boolean accepted() {
            return token != null;
        }
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s} or ISO-8601 ({@code P30D}, {@code PT12H}); null if neither. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String newSecret() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
