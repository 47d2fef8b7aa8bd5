package io.edgeshare.platform.fleet.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/gateways} and {@code GET /api/gateways/{id}}: the fleet as JSON. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ "/api/gateways", "/api/gateways/*" })
@HttpWhiteboardServletName("edgeshare-fleet-api")
public final class FleetServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(java.time.Instant.class,
                    (com.google.gson.JsonSerializer<java.time.Instant>) (src, t, c) ->
                            new com.google.gson.JsonPrimitive(src.toString()))
            .create();

    private final transient FleetView fleet;

    @Activate
    public FleetServlet(@Reference FleetView fleet) {
        this.fleet = fleet;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = req.getPathInfo();
        if (id == null || id.equals("/")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("connected", fleet.connected());
            body.put("rejectedMessages", fleet.rejectedMessages());
            body.put("gateways", fleet.gateways());
            send(resp, 200, body);
            return;
        }
        String deviceId = id.substring(1);
        fleet.gateway(deviceId).ifPresentOrElse(g -> send(resp, 200, Map.of("gateway", g, "nearby",
                fleet.nearby(deviceId))),
                () -> send(resp, 404, Map.of("error", "no gateway " + deviceId)));
    }

    private static void send(HttpServletResponse resp, int status, Object body) {
        try {
            byte[] json = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
            resp.setStatus(status);
            resp.setContentType("application/json;charset=utf-8");
            resp.setHeader("Cache-Control", "no-store");
            resp.setContentLength(json.length);
            resp.getOutputStream().write(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
