package com.ultracloud.deployer.gateway.problem;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Tomcat answers some requests itself, before Spring sees them (an encoded NUL in the path, a
 * malformed request line, a header too large, CONNECT): with this valve those answers are
 * problem+json too, not an HTML page or an empty body.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String detail;
        if (status == HttpStatus.NOT_IMPLEMENTED.value() && "CONNECT".equalsIgnoreCase(request.getMethod())) {
            // Tomcat's 501 would read as our failure; CONNECT is simply not a method of this server
            status = HttpStatus.METHOD_NOT_ALLOWED.value();
            response.setStatus(status);
            response.setHeader("Allow", Problems.ALLOWED_METHODS);
            detail = "CONNECT is not supported: this is not a proxy";
        } else if (status >= 500) {
            detail = "the deployer failed to handle this request";
        } else {
            detail = "the request was refused by the HTTP server (malformed URL, header or request line)";
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String slug = known == null ? "error" : title.toLowerCase().replace(' ', '-');
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer out = response.getReporter();
            if (out != null) {
                // constant text only: nothing from the request is echoed, so no escaping is needed
                out.write("{\"type\":\"" + ProblemAdvice.TYPE_BASE + slug + "\",\"title\":\"" + title
                        + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
                out.flush();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away or the response is unusable: nothing more to tell it
        }
    }
}
