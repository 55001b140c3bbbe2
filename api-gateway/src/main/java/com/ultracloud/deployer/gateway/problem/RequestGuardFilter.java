package com.ultracloud.deployer.gateway.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.gateway.config.DeployerProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;

/**
 * What every request must be before a handler (or Spring's parsing of it) sees it, answered as a
 * problem here because later it would end as a 500 or be half-understood:
 * <ul>
 *   <li>{@code TRACE} is refused (405): the connector lets it through only so that this answer is a
 *       problem and not Tomcat's empty one (see WebServerConfig); it never reaches the servlet, which
 *       would echo the request back.</li>
 *   <li>a Content-Type that is not one concrete media type ({@code *}{@code /*}, {@code application/*},
 *       unparsable) or names a charset other than UTF-8 (RFC 8259) is refused (415): Spring's request
 *       wrapper throws on a wildcard.</li>
 *   <li>a body over {@code deployer.api.max-body-bytes}, or over {@code deployer.api.max-discover-bytes}
 *       for discover, is refused (413): at once when the Content-Length says so, or as soon as a chunked
 *       body crosses the limit.</li>
 * </ul>
 * An empty Accept header is passed on as none. And an error that a handler answered without a body (the actuator's 404 for an unknown metric or
 * health component) gets a problem body here.
 */
@Component
class RequestGuardFilter extends OncePerRequestFilter {

    static final String DISCOVER = "/api/v1/bootstrap/discover";

    private final long limit;
    private final long discoverLimit;
    private final ObjectMapper json;

    RequestGuardFilter(DeployerProperties properties, ObjectMapper json) {
        this.limit = properties.api().maxBodyBytes();
        this.discoverLimit = Math.min(limit, properties.api().maxDiscoverBytes());
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("TRACE".equalsIgnoreCase(request.getMethod())) {
            response.setHeader(HttpHeaders.ALLOW, Problems.ALLOWED_METHODS);
            refuse(request, response, HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
                    "TRACE is not supported");
            return;
        }
        String contentTypeProblem = contentTypeProblem(request.getContentType());
        if (contentTypeProblem != null) {
            refuse(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Unsupported media type", contentTypeProblem);
            return;
        }
        // the servlet path is decoded and without ;path-parameters, as the handler mapping sees it
        long max = DISCOVER.equals(request.getServletPath()) ? discoverLimit : limit;
        if (request.getContentLengthLong() > max) {
            response.setHeader("Connection", "close"); // do not read the rest of a huge body
            refuse(request, response, HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large",
                    "request body exceeds " + max + " bytes");
            return;
        }
        ErrorAwareResponse answer = new ErrorAwareResponse(response);
        chain.doFilter(new LimitedRequest(request, max), answer);
        if (answer.isBodylessError()) {
            HttpStatus status = HttpStatus.resolve(answer.getStatus());
            String title = status == null ? "Error" : status.getReasonPhrase();
            refuse(request, response, status == null ? HttpStatus.BAD_REQUEST : status,
                    title.toLowerCase(Locale.ROOT).replace(' ', '-'), title,
                    status == HttpStatus.NOT_FOUND ? "no resource " + request.getRequestURI() : title);
        }
    }

    /** Why a Content-Type cannot describe a JSON body, or null when it can (or is absent). */
    static String contentTypeProblem(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            return "Content-Type '" + abbreviate(contentType) + "' is not a media type; send application/json";
        }
        if (type.isWildcardType() || type.isWildcardSubtype()) {
            return "Content-Type '" + abbreviate(contentType) + "' is a wildcard; send application/json";
        }
        String charset = type.getParameter("charset");
        if (charset != null && !charset.replace("\"", "").equalsIgnoreCase("utf-8")) {
            return "Content-Type '" + abbreviate(contentType) + "': JSON bodies are UTF-8 (RFC 8259)";
        }
        return null;
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String slug,
                        String title, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), ProblemAdvice.problem(status, slug, title, detail, request));
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    /** Remembers whether anything asked for the body's stream, to tell an error answered without one. */
    private static final class ErrorAwareResponse extends HttpServletResponseWrapper {
        private boolean bodyUsed;

        ErrorAwareResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            bodyUsed = true;
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            bodyUsed = true;
            return super.getWriter();
        }

        boolean isBodylessError() {
            return !bodyUsed && getStatus() >= 400 && !isCommitted();
        }
    }

    /**
     * The request as handlers see it: its body counted against the limit, and an empty {@code Accept}
     * header gone — RFC 9110 reads it as no preference, but the actuator's Prometheus endpoint finds no
     * format for it and fails.
     */
    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private final boolean blankAccept;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
            this.blankAccept = Collections.list(request.getHeaders(HttpHeaders.ACCEPT)).stream()
                    .allMatch(String::isBlank) && request.getHeader(HttpHeaders.ACCEPT) != null;
        }

        @Override
        public String getHeader(String name) {
            return hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            if (!blankAccept) {
                return super.getHeaderNames();
            }
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(n -> !hidden(n)).toList());
        }

        private boolean hidden(String name) {
            return blankAccept && HttpHeaders.ACCEPT.equalsIgnoreCase(name);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;

        LimitedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws PayloadTooLargeException {
            read += n;
            if (read > limit) {
                throw new PayloadTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
