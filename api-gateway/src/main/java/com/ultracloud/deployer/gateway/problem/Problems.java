package com.ultracloud.deployer.gateway.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedException;

import java.io.IOException;
import java.util.Locale;

/** Problems for code outside Spring MVC (servlet filters, Spring Security's handlers), in the advice's shape. */
public final class Problems {

    private Problems() {
    }

    /** A problem with {@code type} {@code urn:ultracloud:problem:<slug>}, as {@link ProblemAdvice} makes them. */
    public static ProblemDetail of(HttpStatus status, String slug, String title, String detail, HttpServletRequest request) {
        return ProblemAdvice.problem(status, slug, title, detail, request);
    }

    /** The methods the API answers anywhere (per path, fewer): {@code Allow} of a method refusal. */
    public static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS";

    /**
     * What Spring Security's firewall refused (a method it does not know, an encoded slash or a control
     * character in the path, a parameter name with a line break): 405 for a method, else 400. The
     * firewall's sentence says what was wrong and names no Java type.
     */
    public static ProblemDetail rejected(RequestRejectedException e, HttpServletRequest request) {
        String message = e.getMessage() == null ? "the request was rejected" : e.getMessage().replaceAll("\\p{Cntrl}", "?");
        String detail = message.length() > 300 ? message.substring(0, 299) + "…" : message;
        return message.toLowerCase(Locale.ROOT).contains("http method")
                ? of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", detail, request)
                : of(HttpStatus.BAD_REQUEST, "request-rejected", "Request rejected", detail, request);
    }

    /** A temporary refusal ({@code problem} is a 503): {@code application/problem+json} and {@code Retry-After}. */
    public static ResponseEntity<ProblemDetail> retryLater(ProblemDetail problem, long retryAfterSeconds) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds)).body(problem);
    }

    /** Writes {@code problem} as the whole response (status, {@code application/problem+json}, body). */
    public static void write(HttpServletResponse response, ObjectMapper json, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
