package com.ultracloud.deployer.gateway.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.ultracloud.deployer.machine.api.MachineError;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.modelling.command.ConflictingModificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Every error as {@code application/problem+json} (RFC 9457): what is wrong and where, never a
 * stack trace or a class name. Spring's own MVC exceptions (405, 406, 415, missing parameters) come
 * from the base class, already as problems.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    static final String TYPE_BASE = "urn:ultracloud:problem:";

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e, HttpServletRequest request) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage(), request);
        p.setProperty("errors", e.errors());
        return respond(p);
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

    @ExceptionHandler(UnauthorizedException.class)
    ResponseEntity<ProblemDetail> unauthorized(UnauthorizedException e, HttpServletRequest request) {
        ProblemDetail p = problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", e.getMessage(), request);
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, e.challenge()).body(p);
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
     * stale): nothing was written by the loser, so a retry is safe.
     */
    @ExceptionHandler({ConflictingModificationException.class, ConcurrencyException.class})
    ResponseEntity<ProblemDetail> concurrent(RuntimeException e, HttpServletRequest request) {
        String detail = "the machine was changed concurrently; nothing was written, re-read it and retry";
        ProblemDetail p = problem(HttpStatus.CONFLICT, "concurrent-modification", "Concurrent modification", detail, request);
        if (e instanceof ConflictingAggregateVersionException v) {
            p.setDetail("the machine is at version " + v.getActualVersion() + ", not the expected "
                    + v.getExpectedVersion() + "; nothing was written, re-read it and retry");
            p.setProperty("machineId", v.getAggregateIdentifier());
            p.setProperty("currentVersion", v.getActualVersion());
        }
        p.setProperty("retryable", true);
        return respond(p);
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<ProblemDetail> refused(CommandExecutionException e, HttpServletRequest request) {
        MachineError error = e.<MachineError>getDetails().orElse(null);
        if (error == null) {
            Throwable cause = e.getCause();
            if (cause instanceof ConflictingModificationException || cause instanceof ConcurrencyException) {
                return concurrent((RuntimeException) cause, request);
            }
            if (cause instanceof AggregateNotFoundException n) {
                return aggregateNotFound(n, request);
            }
            return unexpected(e, request);
        }
        HttpStatus status = switch (error.code()) {
            case ILLEGAL_TRANSITION, PRECONDITION_FAILED, CONFLICT -> HttpStatus.CONFLICT;
            case INVALID_COMMAND -> HttpStatus.BAD_REQUEST;
        };
        String slug = error.code().name().toLowerCase().replace('_', '-');
        ProblemDetail p = problem(status, slug, title(slug), error.detail(), request);
        p.setProperty("code", error.code().name());
        p.setProperty("machineId", error.machineId());
        if (error.currentState() != null) {
            p.setProperty("currentState", error.currentState());
        }
        p.setProperty("command", error.command());
        if (error.allowedFrom() != null) {
            p.setProperty("allowedFrom", error.allowedFrom());
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

    /** Anything else is our fault: logged with its trace, answered without it. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
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
                return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(tooLarge(big, servlet).getBody());
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
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "request body: " + field + ": " + reason, servlet);
        p.setProperty("errors", List.of(new FieldError(field, reason)));
        return ResponseEntity.badRequest().body(p);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<FieldError> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(f -> new FieldError(f.getField(), f.getDefaultMessage())).toList();
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "invalid request body: " + errors.size() + " error(s)", ((ServletWebRequest) request).getRequest());
        p.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(p);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String field = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        String reason = "cannot read '" + ex.getValue() + "'";
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", field + ": " + reason,
                ((ServletWebRequest) request).getRequest());
        p.setProperty("errors", List.of(new FieldError(field, reason)));
        return ResponseEntity.badRequest().body(p);
    }

    static ProblemDetail problem(HttpStatus status, String slug, String title, String detail, HttpServletRequest request) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(TYPE_BASE + slug));
        p.setTitle(title);
        p.setInstance(URI.create(request.getRequestURI()));
        return p;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).body(p);
    }

    private static String title(String slug) {
        String spaced = slug.replace('-', ' ');
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
