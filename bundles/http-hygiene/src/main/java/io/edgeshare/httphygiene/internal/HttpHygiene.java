package io.edgeshare.httphygiene.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Runs before every context on every port of the HTTP runtime (a whiteboard {@link Preprocessor} sees each
 * request before a context is chosen): TRACE and TRACK are refused with 405 (they echo headers, cookies and
 * bearer tokens back to a script) and every answer carries {@code X-Content-Type-Options: nosniff}. Client
 * hang-ups are {@link HangUpFilter}'s: the runtime swallows servlet exceptions before a preprocessor sees them.
 */
@Component(service = Preprocessor.class)
public final class HttpHygiene implements Preprocessor {

    private static final Logger LOG = LoggerFactory.getLogger(HttpHygiene.class);
    private static final byte[] TRACE_REFUSED = ("{\"error\":\"method-not-allowed\","
            + "\"message\":\"TRACE and TRACK are not served\"}").getBytes(StandardCharsets.UTF_8);

    @Override
    public void init(FilterConfig config) {
        LOG.debug("HTTP hygiene preprocessor active");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse resp)) {
            chain.doFilter(request, response);
            return;
        }
        String method = req.getMethod().toUpperCase(Locale.ROOT);
        if (method.equals("TRACE") || method.equals("TRACK")) {
            resp.setStatus(405);
            resp.setHeader("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setContentType("application/json;charset=utf-8");
            resp.setContentLength(TRACE_REFUSED.length);
            resp.getOutputStream().write(TRACE_REFUSED);
            return;
        }
        resp.setHeader("X-Content-Type-Options", "nosniff");
        chain.doFilter(request, response);
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
