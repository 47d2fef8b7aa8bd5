package io.edgeshare.metrics.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /metrics}: every telemetry source in the Prometheus text format. Answers the configured admin
 * addresses only (403 for others, counted). On the platform the shipped configuration adds
 * {@code osgi.http.whiteboard.context.select} for the operator-guarded {@code edgeshare-platform-api} context,
 * so it is served at {@code /api/metrics} behind the operator token, and sets {@code admin.addresses=*}.
 */
@Component(service = Servlet.class, configurationPid = MetricsConfig.PID)
@Designate(ocd = MetricsConfig.class)
@HttpWhiteboardServletPattern("/metrics")
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);
    private static final byte[] REFUSED = ("{\"error\":\"forbidden\",\"message\":\"metrics are for the "
            + "operator's admin addresses\"}").getBytes(StandardCharsets.UTF_8);

    private final MetricCatalog catalog = new MetricCatalog();
    private final List<TelemetrySource> sources = new CopyOnWriteArrayList<>();
    private final EndpointTelemetry counters;
    private volatile AdminAddresses admins;

    @Activate
    public MetricsServlet(@Reference EndpointTelemetry counters, MetricsConfig config) {
        this.counters = counters;
        modified(config);
    }

    @Modified
    void modified(MetricsConfig config) {
        try {
            admins = AdminAddresses.parse(config.admin_addresses());
        } catch (IllegalArgumentException e) {
            // a typo must not open the endpoint: keep only loopback
            LOG.warn("edgeshare.metrics: admin.addresses ignored ({}); only loopback may read /metrics", e.getMessage());
            admins = AdminAddresses.parse("127.0.0.1,::1");
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSource(TelemetrySource s) {
        sources.add(s);
    }

    void removeSource(TelemetrySource s) {
        sources.remove(s);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!admins.admits(req.getRemoteAddr())) {
            counters.refused();
            resp.setStatus(403);
            resp.setContentType("application/json;charset=utf-8");
            resp.setContentLength(REFUSED.length);
            resp.getOutputStream().write(REFUSED);
            return;
        }
        counters.scraped();
        PrometheusExposition out = new PrometheusExposition(catalog);
        for (TelemetrySnapshot s : TelemetrySources.snapshots(List.copyOf(sources))) {
            out.add(s);
        }
        byte[] bytes = out.text().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType(PrometheusExposition.CONTENT_TYPE);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
