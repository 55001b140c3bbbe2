package com.ultracloud.deployer.gateway.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.ultracloud.deployer.machine.api.MachineError;
import com.ultracloud.deployer.machine.api.MachineErrorCode;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentError;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.modelling.command.ConflictingModificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * Every error as {@code application/problem+json} (RFC 9457): what is wrong and where, never a
 * stack trace or a class name. Spring's own MVC exceptions (405, 406, 415, missing parameters) come
 * from the base class, already as problems. Every answer here names its content type itself, so it
 * is problem+json whatever the client's Accept says (an unparsable Accept, or one that allows only
 * XML or images, would otherwise leave the error without a body).
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    static final String TYPE_BASE = "urn:ultracloud:problem:";

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e, HttpServletRequest request) {
        return respond(invalidProblem(e, request));
    }

    private static ProblemDetail invalidProblem(InvalidRequestException e, HttpServletRequest request) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage(), request);
        p.setProperty("errors", e.errors());
        return p;
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e, HttpServletRequest request) {
        ProblemDetail p = problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage(), request);
        if (e.machineId() != null) {
            p.setProperty("machineId", e.machineId());
        }
        return respond(p);
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e, HttpServletRequest request) {
        ProblemDetail p = problem(HttpStatus.CONFLICT, e.slug(), title(e.slug()), e.getMessage(), request);
        e.properties().forEach(p::setProperty);
        return respond(p);
    }

    /** minVersion not reached within the wait: temporary, so 503 with Retry-After (docs/api.md, Read your writes). */
    @ExceptionHandler(NotCaughtUpException.class)
    ResponseEntity<ProblemDetail> notCaughtUp(NotCaughtUpException e, HttpServletRequest request) {
        ProblemDetail p = problem(HttpStatus.SERVICE_UNAVAILABLE, "not-caught-up", "Read model not caught up",
                e.getMessage(), request);
        p.setProperty(e.idField(), e.machineId());
        p.setProperty("minVersion", e.minVersion());
        if (e.currentVersion() != null) {
            p.setProperty("currentVersion", e.currentVersion());
        }
        p.setProperty("retryable", true);
        return Problems.retryLater(p, e.retryAfterSeconds());
    }

    /** A command that did not answer in time: temporary, so 503; the detail says it may still take effect. */
    @ExceptionHandler(CommandTimeoutException.class)
    ResponseEntity<ProblemDetail> commandTimeout(CommandTimeoutException e, HttpServletRequest request) {
        log.warn("command timeout on {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        ProblemDetail p = problem(HttpStatus.SERVICE_UNAVAILABLE, "command-timeout", "Command timeout", e.getMessage(),
                request);
        machineOfPath(request).ifPresent(id -> p.setProperty("machineId", id));
        return Problems.retryLater(p, CommandTimeoutException.RETRY_AFTER_SECONDS);
    }

    @ExceptionHandler(UnauthorizedException.class)
    ResponseEntity<ProblemDetail> unauthorized(UnauthorizedException e, HttpServletRequest request) {
        ProblemDetail p = problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", e.getMessage(), request);
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, e.challenge()).body(p);
    }

    /** The firewall refuses some input only when a handler reads it (a parameter name with a line break). */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e, HttpServletRequest request) {
        return respond(Problems.rejected(e, request));
    }

    @ExceptionHandler(ForbiddenException.class)
    ResponseEntity<ProblemDetail> forbidden(ForbiddenException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage(), request));
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> aggregateNotFound(AggregateNotFoundException e, HttpServletRequest request) {
        return notFound(NotFoundException.machine(e.getAggregateIdentifier()), request);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large",
                e.getMessage(), request));
    }

    /**
     * Two writers raced for one machine (an append hit the event store's unique key, or If-Match was
     * stale): nothing was written by the loser, so a retry is safe. A race for an aggregate's first event
     * (two replicas creating it at once) is the same, though Axon names it otherwise.
     */
    @ExceptionHandler({ConflictingModificationException.class, ConcurrencyException.class,
            AggregateStreamCreationException.class})
    ResponseEntity<ProblemDetail> concurrent(RuntimeException e, HttpServletRequest request) {
        String detail = "the machine was changed concurrently; nothing was written, re-read it and retry";
        ProblemDetail p = problem(HttpStatus.CONFLICT, "concurrent-modification", "Concurrent modification", detail, request);
        if (e instanceof ConflictingAggregateVersionException v) {
            p.setDetail("the machine is at version " + v.getActualVersion() + ", not the expected "
                    + v.getExpectedVersion() + "; nothing was written, re-read it and retry");
            p.setProperty("machineId", v.getAggregateIdentifier());
            p.setProperty("currentVersion", v.getActualVersion());
        } else {
            // a race lost on the event store's unique key names no aggregate: the machine is the one the path names
            machineOfPath(request).ifPresent(id -> p.setProperty("machineId", id));
        }
        p.setProperty("retryable", true);
        return respond(p);
    }

    /** The machine of a request to {@code /api/v1/machines/{id}/…}, as its canonical UUID. */
    private static Optional<String> machineOfPath(HttpServletRequest request) {
        if (!request.getRequestURI().startsWith("/api/v1/machines/")
                || !(request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables)
                || !(variables.get("id") instanceof String id)) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(id).toString());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<ProblemDetail> refused(CommandExecutionException e, HttpServletRequest request) {
        Object details = e.getDetails().orElse(null);
        if (details instanceof HostDeploymentError refused) {
            return deploymentRefused(refused, request);
        }
        MachineError error = details instanceof MachineError m ? m : null;
        if (error == null) {
            Throwable cause = e.getCause();
            if (cause instanceof ConflictingModificationException || cause instanceof ConcurrencyException
                    || cause instanceof AggregateStreamCreationException) {
                return concurrent((RuntimeException) cause, request);
            }
            if (cause instanceof AggregateNotFoundException n) {
                return aggregateNotFound(n, request);
            }
            return unexpected(e, request);
        }
        if (error.code() == MachineErrorCode.TAKEN && error.taken() != null) {
            return taken(error, request);
        }
        return domainRefusal(error.code(), "machineId", error.machineId(), error.currentState(), error.command(),
                error.allowedFrom(), error.detail(), request);
    }

    /**
     * The write side refused a value another machine holds (ADR 0007): {@code hostname-taken} or
     * {@code node-id-taken}, in the shape the commission's own check answers (machineId, the value, heldBy).
     */
    private ResponseEntity<ProblemDetail> taken(MachineError error, HttpServletRequest request) {
        MachineError.Taken taken = error.taken();
        String slug = taken.kind() + "-taken";
        ProblemDetail p = problem(HttpStatus.CONFLICT, slug, title(slug), error.detail(), request);
        p.setProperty("machineId", error.machineId());
        p.setProperty(taken.field(), taken.value());
        if (taken.heldBy() != null) {
            p.setProperty("heldBy", taken.heldBy());
        }
        return respond(p);
    }

    /** A host deployment refused a command: the same codes, statuses and fields as a machine's refusal. */
    private ResponseEntity<ProblemDetail> deploymentRefused(HostDeploymentError error, HttpServletRequest request) {
        return domainRefusal(error.code(), "deploymentId", error.deploymentId(), error.currentState(), error.command(),
                error.allowedFrom(), error.detail(), request);
    }

    /** An aggregate's refusal as problem+json: the code's status and slug, the aggregate's id, state and rule. */
    private ResponseEntity<ProblemDetail> domainRefusal(MachineErrorCode code, String idField, Object id,
                                                        Object currentState, Object command, Object allowedFrom,
                                                        String detail, HttpServletRequest request) {
        HttpStatus status = switch (code) {
            case ILLEGAL_TRANSITION, PRECONDITION_FAILED, CONFLICT, TAKEN -> HttpStatus.CONFLICT;
            case INVALID_COMMAND -> HttpStatus.BAD_REQUEST;
        };
        String slug = code.name().toLowerCase().replace('_', '-');
        ProblemDetail p = problem(status, slug, title(slug), detail, request);
        p.setProperty("code", code.name());
        p.setProperty(idField, id);
        if (currentState != null) {
            p.setProperty("currentState", currentState);
        }
        p.setProperty("command", command);
        if (allowedFrom != null) {
            p.setProperty("allowedFrom", allowedFrom);
        }
        return respond(p);
    }

    @ExceptionHandler(CompletionException.class)
    ResponseEntity<ProblemDetail> completion(CompletionException e, HttpServletRequest request) {
        if (e.getCause() instanceof CommandExecutionException c) {
            return refused(c, request);
        }
        return unexpected(e, request);
    }

    /**
     * Anything else is our fault: logged with its trace, answered without it. Except a lost database, which is
     * temporary: 503 with Retry-After, logged in one line (a restart would otherwise fill the log with traces).
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (DatabaseUnavailable.causes(e)) {
            log.warn("database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), rootMessage(e));
            return DatabaseUnavailable.response(request);
        }
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "the deployer failed to handle this request; the error is logged", request));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        HttpServletRequest servlet = ((ServletWebRequest) request).getRequest();
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException big) {
                return respond(tooLarge(big, servlet).getBody());
            }
        }
        String field = "$";
        String reason = "a JSON body is required";
        if (ex.getCause() instanceof JsonMappingException m) {
            field = JsonPaths.of(m);
            reason = JsonPaths.reason(m);
        } else if (ex.getCause() instanceof JsonProcessingException j) {
            reason = JsonPaths.reason(j);
        }
        return respond(invalidProblem(InvalidRequestException.inBody(field, reason), servlet));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<FieldError> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(f -> new FieldError(f.getField(), f.getDefaultMessage())).toList();
        return respond(invalidProblem(new InvalidRequestException("invalid request body: " + errors.size() + " error(s)",
                errors), ((ServletWebRequest) request).getRequest()));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String field = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        return respond(invalidProblem(InvalidRequestException.of(field, "cannot read " + shown(ex.getValue())),
                ((ServletWebRequest) request).getRequest()));
    }

    /** Spring's own problems (405, 406, 415, …) with their content type named, like ours. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
                                                          WebRequest request) {
        HttpHeaders named = new HttpHeaders();
        named.putAll(headers);
        if (body instanceof ProblemDetail) {
            named.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        return new ResponseEntity<>(body, named, statusCode);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** A rejected value as the client sent it: never a Java object's toString (a repeated parameter is an array). */
    private static String shown(Object value) {
        if (value instanceof String s) {
            return "'" + abbreviate(s) + "'";
        }
        if (value instanceof String[] all) {
            return Arrays.stream(all).map(v -> "'" + abbreviate(v) + "'")
                    .collect(Collectors.joining(", "));
        }
        return "the given value";
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    static ProblemDetail problem(HttpStatus status, String slug, String title, String detail, HttpServletRequest request) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(TYPE_BASE + slug));
        p.setTitle(title);
        p.setInstance(instance(request.getRequestURI()));
        return p;
    }

    /** The request's path as a problem's {@code instance}, whatever characters it holds. */
    static URI instance(String path) {
        try {
            return URI.create(path);
        } catch (IllegalArgumentException e) {
            return URI.create(URLEncoder.encode(path, StandardCharsets.UTF_8)
                    .replace("%2F", "/"));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> ResponseEntity<T> respond(ProblemDetail p) {
        return (ResponseEntity<T>) ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }

    private static String title(String slug) {
        String spaced = slug.replace('-', ' ');
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
