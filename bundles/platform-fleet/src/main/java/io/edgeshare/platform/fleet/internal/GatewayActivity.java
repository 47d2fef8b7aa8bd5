package io.edgeshare.platform.fleet.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.edgeshare.api.fleet.GatewayReport;
import io.edgeshare.api.fleet.Rollout;
import io.edgeshare.api.fleet.RolloutOutcome;
import io.edgeshare.api.fleet.RolloutStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One gateway's history and commands for the operator (under {@link FleetServlet}, so behind the bearer token):
 * {@code GET /api/gateways/{id}/reports?limit=&before=} its recent status reports, newest first;
 * {@code GET /api/gateways/{id}/policies?limit=} its outcome in every rollout that targeted it;
 * {@code POST /api/gateways/{id}/rebirth} asks it for a full report (202).
 */
final class GatewayActivity {
    static final int DEFAULT_REPORTS = 20;
    static final int MAX_LIMIT = 100;

    private final FleetView fleet;
    private final RolloutStore rollouts;

    GatewayActivity(FleetView fleet, RolloutStore rollouts) {
        this.fleet = fleet;
        this.rollouts = rollouts;
    }

    /** The caller checked that the gateway exists. */
    void reports(String deviceId, HttpServletRequest req, HttpServletResponse resp) {
        int limit = limit(req, DEFAULT_REPORTS);
        Instant before;
        String b = req.getParameter("before");
        try {
            before = b == null || b.isBlank() ? null : Instant.ofEpochMilli(Long.parseLong(b));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("before must be a time in epoch milliseconds (a page's next)");
        }
        List<GatewayReport> page = fleet.reports(deviceId, before, limit);
        List<Map<String, Object>> out = new ArrayList<>();
        for (GatewayReport r : page) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("receivedAt", r.receivedAt());
            entry.put("summary", ReportSummary.of(r));
            entry.put("report", parsed(r.document()));
            out.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deviceId", deviceId);
        body.put("reports", out);
        body.put("next", page.size() == limit ? page.get(page.size() - 1).receivedAt().toEpochMilli() : null);
        ApiResponses.json(resp, 200, body);
    }

    void policies(String deviceId, HttpServletRequest req, HttpServletResponse resp) {
        int limit = limit(req, DEFAULT_REPORTS);
        List<Map<String, Object>> out = new ArrayList<>();
        for (RolloutOutcome o : rollouts.deviceOutcomes(deviceId, limit)) {
            Optional<Rollout> rollout = rollouts.rollout(o.rolloutId());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("rolloutId", o.rolloutId());
            entry.put("generation", rollout.map(Rollout::generation).orElse(null));
            entry.put("rolloutState", rollout.map(r -> r.state().name()).orElse(null));
            entry.put("target", rollout.map(Rollout::target).orElse(null));
            entry.put("state", o.state().name());
            entry.put("detail", o.detail());
            entry.put("at", o.at());
            out.add(entry);
        }
        ApiResponses.json(resp, 200, Map.of("deviceId", deviceId, "policies", out));
    }

    void rebirth(String deviceId, HttpServletResponse resp) {
        Instant askedAt = fleet.askFullReport(deviceId);
        ApiResponses.json(resp, 202, Map.of("deviceId", deviceId, "askedAt", askedAt));
    }

    private static Object parsed(String document) {
        try {
            return JsonParser.parseString(document);
        } catch (JsonParseException e) {
            return null; // stored as received; ingest only keeps JSON, so this is an old or foreign row
        }
    }

    private static int limit(HttpServletRequest req, int fallback) {
        String v = req.getParameter("limit");
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(v);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("limit must be a number from 1 to " + MAX_LIMIT);
    }
}
