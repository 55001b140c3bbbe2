package com.ultracloud.deployer.gateway.problem;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Tomcat answers some requests itself, before Spring sees them (an encoded NUL in the path, a
 * malformed request line): with this valve those answers are problem+json too, not an HTML page.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            String title = status >= 500 ? "Internal error" : "Bad request";
            String detail = status >= 500 ? "the deployer failed to handle this request"
                    : "the request was refused by the HTTP server (malformed URL, header or request line)";
            Writer out = response.getReporter();
            if (out != null) {
                out.write("{\"type\":\"" + ProblemAdvice.TYPE_BASE + "malformed-request\",\"title\":\"" + title
                        + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
                out.flush();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away or the response is unusable: nothing more to tell it
        }
    }
}
