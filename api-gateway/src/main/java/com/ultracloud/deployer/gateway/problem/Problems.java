package com.ultracloud.deployer.gateway.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import java.io.IOException;

/** Problems for code outside Spring MVC (servlet filters, Spring Security's handlers), in the advice's shape. */
public final class Problems {

    private Problems() {
    }

    /** A problem with {@code type} {@code urn:ultracloud:problem:<slug>}, as {@link ProblemAdvice} makes them. */
    public static ProblemDetail of(HttpStatus status, String slug, String title, String detail, HttpServletRequest request) {
        return ProblemAdvice.problem(status, slug, title, detail, request);
    }

    /** Writes {@code problem} as the whole response (status, {@code application/problem+json}, body). */
    public static void write(HttpServletResponse response, ObjectMapper json, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
