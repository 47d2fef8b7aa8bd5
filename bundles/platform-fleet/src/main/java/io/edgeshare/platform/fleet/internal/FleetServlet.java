package io.edgeshare.platform.fleet.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/gateways} and {@code GET /api/gateways/{id}}: the fleet as JSON, for the operator (bearer
 * token, enforced by the {@code edgeshare-platform-api} context this servlet selects).
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + PlatformApiContext.NAME + ")")
@HttpWhiteboardServletPattern({ "/gateways", "/gateways/*" })
@HttpWhiteboardServletName("edgeshare-fleet-api")
public final class FleetServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient FleetView fleet;
    private final transient ApiRefusals refusals;

    @Activate
    public FleetServlet(@Reference FleetView fleet, @Reference ApiRefusals refusals) {
        this.fleet = fleet;
        this.refusals = refusals;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        String id = req.getPathInfo();
        if (id == null || id.equals("/")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("connected", fleet.connected());
            body.put("rejectedMessages", fleet.rejectedMessages());
            body.put("apiRefusals", refusals.counts());
            body.put("gateways", fleet.gateways());
            ApiResponses.json(resp, 200, body);
            return;
        }
        String deviceId = id.substring(1);
        fleet.gateway(deviceId).ifPresentOrElse(g -> ApiResponses.json(resp, 200, Map.of("gateway", g, "nearby",
                fleet.nearby(deviceId))),
                () -> ApiResponses.error(resp, 404, "not-found", "no gateway with that id"));
    }
}
