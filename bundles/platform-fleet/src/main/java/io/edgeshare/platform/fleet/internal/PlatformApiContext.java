package io.edgeshare.platform.fleet.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.edgeshare.support.InstanceData;
import io.edgeshare.support.LogText;

/**
 * The platform API's servlet context {@value #NAME} at {@code /api}: every platform API servlet, of any bundle,
 * selects it, so nothing under {@code /api} is served without this guard (fails closed). Each request passes
 * the {@link RequestGuard}; each refusal is counted per cause and logged once per cause, without secrets.
 */
@Component(service = { ServletContextHelper.class, ApiRefusals.class }, configurationPid = PlatformApiConfig.PID)
@Designate(ocd = PlatformApiConfig.class)
@HttpWhiteboardContext(name = PlatformApiContext.NAME, path = "/api")
public final class PlatformApiContext extends ServletContextHelper implements ApiRefusals {
    static final String NAME = "edgeshare-platform-api";
    private static final Logger LOG = LoggerFactory.getLogger(PlatformApiContext.class);

    private final BundleContext context;
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private volatile RequestGuard guard;

    @Activate
    public PlatformApiContext(BundleContext context, PlatformApiConfig config) throws IOException {
        this.context = context;
        modified(config);
    }

    @Modified
    void modified(PlatformApiConfig config) throws IOException {
        String token = config.token();
        if (token.isBlank()) {
            Path file = tokenFile();
            OperatorToken t = OperatorToken.loadOrCreate(file);
            token = t.value();
            LOG.info("edgeshare.platform.api: operator token {} {} (send it as Authorization: Bearer)",
                    t.generated() ? "generated into" : "read from", file);
        } else {
            LOG.info("edgeshare.platform.api: operator token set by configuration {}", PlatformApiConfig.PID);
        }
        guard = new RequestGuard(token, Arrays.asList(config.allowed_hosts()));
        LOG.info("edgeshare.platform.api: serving /api to hosts {}", guard.allowedHosts());
    }

    private Path tokenFile() {
        return InstanceData.resolve(context, OperatorToken.FILE);
    }

    @Override
    public boolean handleSecurity(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        String contextPath = req.getContextPath();
        if (path != null && contextPath != null && path.startsWith(contextPath)) {
            path = path.substring(contextPath.length());
        }
        Optional<RequestGuard.Refusal> refusal = guard.check(new RequestGuard.Request(req.getMethod(), path,
                req.getHeader("Host"), req.getHeader("Origin"), req.getHeader("Sec-Fetch-Site"),
                req.getHeader("Authorization"), req.getContentType()));
        if (refusal.isEmpty()) {
            return true;
        }
        RequestGuard.Refusal r = refusal.get();
        long n = refused.computeIfAbsent(r.code(), k -> new AtomicLong()).incrementAndGet();
        String uri = LogText.clean(req.getRequestURI());
        if (n == 1) {
            LOG.warn("edgeshare.platform.api: refused {} {} from {}: {} (further refusals for this cause are counted,"
                    + " not logged)", req.getMethod(), uri, req.getRemoteAddr(), r.code());
        } else {
            LOG.debug("edgeshare.platform.api: refused {} {} from {}: {} ({} so far)", req.getMethod(), uri,
                    req.getRemoteAddr(), r.code(), n);
        }
        if (r.status() == 401) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"edgeshare-platform\"");
        }
        ApiResponses.error(resp, r.status(), r.code(), r.message());
        return false;
    }

    @Override
    public Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        refused.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }
}
