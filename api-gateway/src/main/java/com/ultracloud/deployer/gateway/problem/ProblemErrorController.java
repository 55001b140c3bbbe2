package com.ultracloud.deployer.gateway.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/**
 * Errors that never reach a controller (rejected by the servlet container or a filter) are
 * problems too, instead of Boot's default error JSON. Called directly ({@code GET /error}), there is
 * no error to report: that is a 404 like any other unknown path.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        // a filter's failure (a bearer token looked up while the database is down) ends here, not in ProblemAdvice
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t && DatabaseUnavailable.causes(t)) {
            return DatabaseUnavailable.response(request);
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(code instanceof Integer c)) {
            ProblemDetail p = ProblemAdvice.problem(HttpStatus.NOT_FOUND, "not-found", "Not found",
                    "no resource " + request.getRequestURI(), request);
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
        }
        HttpStatus status = HttpStatus.resolve(c);
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status,
                status.is5xxServerError() ? "the deployer failed to handle this request; the error is logged"
                        : status.getReasonPhrase());
        p.setType(URI.create(ProblemAdvice.TYPE_BASE + (status.is5xxServerError() ? "internal-error"
                : status.getReasonPhrase().toLowerCase().replace(' ', '-'))));
        p.setTitle(status.getReasonPhrase());
        if (uri instanceof String s) {
            p.setInstance(ProblemAdvice.instance(s));
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
