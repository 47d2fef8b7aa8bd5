package io.edgeshare.platform.fleet.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.edgeshare.api.fleet.BoundingBox;
import io.edgeshare.api.fleet.FleetStoreException;
import io.edgeshare.api.fleet.Gateway;
import io.edgeshare.api.fleet.GatewayPage;
import io.edgeshare.api.fleet.GatewayQuery;
import io.edgeshare.api.fleet.GatewayReport;
import io.edgeshare.api.fleet.RolloutStore;
import io.edgeshare.protocol.DeviceId;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The fleet for the operator (bearer token, enforced by the {@code edgeshare-platform-api} context this servlet
 * selects): {@code GET /api/gateways?status=&profile=&q=&bbox=&after=&limit=} one page from the store, each
 * gateway with the summary of its last report, {@code GET /api/gateways/{id}} one gateway with its last report and
 * the nearby list it was sent, {@code DELETE /api/gateways/{id}} decommissions it; its history and commands
 * ({@code /reports}, {@code /policies}, {@code POST /rebirth}) are {@link GatewayActivity} (docs/platform-api.md).
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + PlatformApiContext.NAME + ")")
@HttpWhiteboardServletPattern({ "/gateways", "/gateways/*" })
@HttpWhiteboardServletName("edgeshare-fleet-api")
public final class FleetServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final int DEFAULT_LIMIT = 100;

    private final transient FleetView fleet;
    private final transient ApiRefusals refusals;
    private final transient GatewayActivity activity;

    @Activate
    public FleetServlet(@Reference FleetView fleet, @Reference ApiRefusals refusals,
            @Reference RolloutStore rollouts) {
        this.fleet = fleet;
        this.refusals = refusals;
        this.activity = new GatewayActivity(fleet, rollouts);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        String id = req.getPathInfo();
        try {
            if (id == null || id.equals("/")) {
                list(req, resp);
                return;
            }
            String[] sub = subResource(id);
            if (sub != null) {
                onKnownGateway(sub[0], resp, () -> {
                    switch (sub[1]) {
                        case "reports" -> activity.reports(sub[0], req, resp);
                        case "policies" -> activity.policies(sub[0], req, resp);
                        default -> ApiResponses.error(resp, 404, "not-found", "nothing is served at this path");
                    }
                });
                return;
            }
            String deviceId = deviceId(id);
            if (deviceId == null) {
                ApiResponses.error(resp, 404, "not-found", "no gateway with that id");
                return;
            }
            fleet.gateway(deviceId).ifPresentOrElse(g -> {
                Optional<GatewayReport> last = fleet.lastReport(deviceId);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("gateway", g);
                body.put("summary", ReportSummary.of(last.orElse(null)));
                body.put("lastReport", last.map(r -> Map.of("receivedAt", r.receivedAt(),
                        "report", JsonParser.parseString(r.document()))).orElse(null));
                body.put("nearby", fleet.nearby(deviceId));
                body.put("fullReportAskedAt", fleet.fullReportAskedAt(deviceId).orElse(null));
                ApiResponses.json(resp, 200, body);
            }, () -> ApiResponses.error(resp, 404, "not-found", "no gateway with that id"));
        } catch (FleetStoreException e) {
            ApiResponses.error(resp, 503, "store-unavailable", "the fleet database cannot be reached");
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
        String[] sub = req.getPathInfo() == null ? null : subResource(req.getPathInfo());
        if (sub == null || !sub[1].equals("rebirth")) {
            ApiResponses.error(resp, 404, "not-found", "POST /api/gateways/{id}/rebirth");
            return;
        }
        try {
            onKnownGateway(sub[0], resp, () -> activity.rebirth(sub[0], resp));
        } catch (FleetStoreException e) {
            ApiResponses.error(resp, 503, "store-unavailable", "the fleet database cannot be reached");
        }
    }

    /** {@code /{id}/{name}} as {id, name}, or null for any other path. */
    private static String[] subResource(String pathInfo) {
        String[] parts = pathInfo.substring(1).split("/", -1);
        return parts.length == 2 && DeviceId.isValid(parts[0]) && !parts[1].isEmpty() ? parts : null;
    }

    /** Runs the action for a gateway the store knows; 404 otherwise, 400 for a bad parameter. */
    private void onKnownGateway(String deviceId, HttpServletResponse resp, Runnable action) {
        if (fleet.gateway(deviceId).isEmpty()) {
            ApiResponses.error(resp, 404, "not-found", "no gateway with that id");
            return;
        }
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            ApiResponses.error(resp, 400, "bad-query", e.getMessage());
        }
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) {
        String deviceId = req.getPathInfo() == null ? null : deviceId(req.getPathInfo());
        if (deviceId == null) {
            ApiResponses.error(resp, 404, "not-found", "no gateway with that id");
            return;
        }
        try {
            if (fleet.decommission(deviceId)) {
                ApiResponses.json(resp, 200, Map.of("deviceId", deviceId, "decommissioned", true));
            } else {
                ApiResponses.error(resp, 404, "not-found", "no gateway with that id");
            }
        } catch (FleetStoreException e) {
            ApiResponses.error(resp, 503, "store-unavailable", "the fleet database cannot be reached");
        }
    }

    private static String deviceId(String pathInfo) {
        String id = pathInfo.substring(1);
        return DeviceId.isValid(id) ? id : null;
    }

    private void list(HttpServletRequest req, HttpServletResponse resp) {
        GatewayQuery query;
        try {
            query = query(req);
        } catch (IllegalArgumentException e) {
            ApiResponses.error(resp, 400, "bad-query", e.getMessage());
            return;
        }
        GatewayPage page;
        try {
            page = fleet.gateways(query);
        } catch (FleetStoreException e) {
            ApiResponses.error(resp, 503, "store-unavailable", "the fleet database cannot be reached");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connected", fleet.connected());
        body.put("rejectedMessages", fleet.rejectedMessages());
        body.put("apiRefusals", refusals.counts());
        body.put("total", page.total());
        body.put("online", query.status() == GatewayQuery.Status.OFFLINE ? 0
                : query.status() == GatewayQuery.Status.ONLINE ? page.total()
                        : fleet.gateways(new GatewayQuery(GatewayQuery.Status.ONLINE, query.profile(), query.text(),
                                query.area(), null, 1)).total());
        body.put("next", page.nextAfter());
        JsonArray gateways = new JsonArray();
        for (Gateway g : page.gateways()) {
            JsonObject entry = ApiResponses.GSON.toJsonTree(g).getAsJsonObject();
            entry.add("summary", ApiResponses.GSON.toJsonTree(ReportSummary.of(fleet.lastReport(g.deviceId())
                    .orElse(null))));
            gateways.add(entry);
        }
        body.put("gateways", gateways);
        ApiResponses.json(resp, 200, body);
    }

    /** The query parameters, checked; a bad one is an IllegalArgumentException with a message for the client. */
    static GatewayQuery query(HttpServletRequest req) {
        GatewayQuery.Status status = switch (param(req, "status", "any")) {
            case "any" -> GatewayQuery.Status.ANY;
            case "online" -> GatewayQuery.Status.ONLINE;
            case "offline" -> GatewayQuery.Status.OFFLINE;
            default -> throw new IllegalArgumentException("status must be any, online or offline");
        };
        int limit;
        try {
            limit = Integer.parseInt(param(req, "limit", Integer.toString(DEFAULT_LIMIT)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a number from 1 to 1000");
        }
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be a number from 1 to 1000");
        }
        String after = req.getParameter("after");
        if (after != null && !after.isEmpty() && !DeviceId.isValid(after)) {
            throw new IllegalArgumentException("after must be a device id");
        }
        String text = req.getParameter("q");
        if (text != null && text.length() > 64) {
            throw new IllegalArgumentException("q is at most 64 characters");
        }
        String profile = req.getParameter("profile");
        if (profile != null && profile.length() > 256) {
            throw new IllegalArgumentException("profile is at most 256 characters");
        }
        return new GatewayQuery(status, blankToNull(profile), blankToNull(text), bbox(req.getParameter("bbox")),
                blankToNull(after), limit);
    }

    /** {@code south,west,north,east} in degrees. */
    private static BoundingBox bbox(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String[] parts = value.split(",");
        if (parts.length != 4) {
            throw new IllegalArgumentException("bbox must be south,west,north,east in degrees");
        }
        try {
            return new BoundingBox(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                    Double.parseDouble(parts[2]), Double.parseDouble(parts[3]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bbox must be south,west,north,east in degrees");
        }
    }

    private static String param(HttpServletRequest req, String name, String fallback) {
        String v = req.getParameter(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
