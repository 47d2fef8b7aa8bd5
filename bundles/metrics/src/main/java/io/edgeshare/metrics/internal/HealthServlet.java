package io.edgeshare.metrics.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.edgeshare.api.telemetry.TelemetrySource;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /health}: readiness (200 or 503 with the failing parts) and {@code GET /health/live}: liveness (200
 * while the framework runs). Open to anyone: it names components and states, never addresses or values.
 */
@Component(service = Servlet.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@HttpWhiteboardServletPattern({ "/health", "/health/*" })
public final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Reference
    private ServiceComponentRuntime scr;

    @Reference
    private EndpointTelemetry counters;

    private final List<TelemetrySource> sources = new CopyOnWriteArrayList<>();

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
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        JsonObject body = new JsonObject();
        int status;
        if (path.equals("/live")) {
            status = 200;
            body.addProperty("status", "live");
        } else if (path.isEmpty() || path.equals("/") || path.equals("/ready")) {
            List<Readiness.Part> parts = parts();
            boolean ready = Readiness.ready(parts);
            status = ready ? 200 : 503;
            if (!ready) {
                counters.unready();
            }
            body.addProperty("status", ready ? "ready" : "not-ready");
            body.addProperty("live", true);
            JsonArray failing = new JsonArray();
            JsonArray all = new JsonArray();
            for (Readiness.Part p : parts) {
                JsonObject o = new JsonObject();
                o.addProperty("name", p.name());
                o.addProperty("status", p.status().text());
                o.addProperty("detail", p.detail());
                all.add(o);
                if (p.status() == Readiness.Status.DOWN) {
                    failing.add(o);
                }
            }
            body.add("failing", failing);
            body.add("parts", all);
        } else {
            status = 404;
            body.addProperty("error", "not-found");
            body.addProperty("message", "use /health or /health/live");
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json;charset=utf-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private List<Readiness.Part> parts() {
        Collection<ComponentDescriptionDTO> descriptions = new java.util.ArrayList<>(scr.getComponentDescriptionDTOs());
        Map<ComponentDescriptionDTO, Collection<ComponentConfigurationDTO>> configs = new IdentityHashMap<>();
        for (ComponentDescriptionDTO d : descriptions) {
            if (d.name != null && d.name.startsWith("io.edgeshare.") && scr.isComponentEnabled(d)) {
                configs.put(d, scr.getComponentConfigurationDTOs(d));
            }
        }
        descriptions.removeIf(d -> !configs.containsKey(d));
        return Readiness.parts(descriptions, configs, TelemetrySources.snapshots(List.copyOf(sources)));
    }
}
