package io.edgeshare.platform.fleet.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Guards every change made through the platform's REST API (all bundles' servlets under {@code /api}): a
 * policy published by anyone who can reach the port would steer the whole fleet. Reads stay open for the
 * console page.
 */
@Component(service = Filter.class, configurationPid = "edgeshare.platform.api")
@Designate(ocd = ApiAccessConfig.class)
@HttpWhiteboardFilterPattern("/api/*")
@HttpWhiteboardFilterName("edgeshare-platform-api-access")
public final class ApiAccessFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiAccessFilter.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private volatile byte[] token;
    private final AtomicLong refused = new AtomicLong();

    @Activate
    public ApiAccessFilter(ApiAccessConfig config) {
        modified(config);
    }

    @Modified
    void modified(ApiAccessConfig config) {
        token = config.token().isEmpty() ? null : config.token().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        if (READS.contains(req.getMethod())) {
            chain.doFilter(req, resp);
            return;
        }
        byte[] expected = token;
        if (expected != null) {
            String auth = req.getHeader("Authorization");
            byte[] given = auth != null && auth.startsWith("Bearer ")
                    ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(expected, given)) {
                refuse(resp, req, 401, "unauthorized", "send Authorization: Bearer <token of edgeshare.platform.api>");
                return;
            }
        } else if (!loopback(req.getRemoteAddr())) {
            refuse(resp, req, 403, "forbidden",
                    "no API token is configured (edgeshare.platform.api), so only the platform host may make changes");
            return;
        }
        chain.doFilter(req, resp);
    }

    private void refuse(HttpServletResponse resp, HttpServletRequest req, int status, String code, String reason)
            throws IOException {
        LOG.warn("edgeshare.platform.api: refused {} {} from {} ({}); {} refused so far", req.getMethod(),
                req.getRequestURI(), req.getRemoteAddr(), code, refused.incrementAndGet());
        byte[] body = ("{\"error\":\"" + code + "\",\"reason\":\"" + reason.replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        if (status == 401) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"edgeshare\"");
        }
        resp.setContentType("application/json;charset=utf-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    static boolean loopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
