package io.edgeshare.portal.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.google.gson.Gson;

import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/status}: who this gateway is and every telemetry source's figures, as JSON. */
@Component(service = Servlet.class, configurationPid = "edgeshare.identity")
@HttpWhiteboardServletPattern("/api/status")
@HttpWhiteboardServletName("edgeshare-portal-status")
public final class StatusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Gson GSON = new Gson();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<TelemetrySource> sources = List.of();

    private volatile PortalConfig identity;

    @Activate
    public StatusServlet(PortalConfig identity) {
        this.identity = identity;
    }

    @Modified
    void modified(PortalConfig next) {
        identity = next;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PortalConfig id = identity;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deviceId", id.device_id());
        body.put("name", id.display_name().isBlank() ? id.device_id() : id.display_name());
        body.put("profile", id.profile());
        body.put("location", Map.of("lat", id.location_latitude(), "lon", id.location_longitude()));
        body.put("time", Instant.now().toString());
        Map<String, Object> bySource = new TreeMap<>();
        for (TelemetrySource source : sources) {
            try {
                TelemetrySnapshot s = source.snapshot();
                bySource.put(source.name(), Map.of("metrics", s.metrics(), "labels", s.labels()));
            } catch (RuntimeException e) {
                bySource.put(source.name(), Map.of("error", String.valueOf(e.getMessage())));
            }
        }
        body.put("sources", bySource);
        byte[] json = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(json.length);
        resp.getOutputStream().write(json);
    }
}
