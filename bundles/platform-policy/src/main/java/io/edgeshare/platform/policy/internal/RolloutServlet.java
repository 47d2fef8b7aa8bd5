package io.edgeshare.platform.policy.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonObject;

import io.edgeshare.api.fleet.Rollout;
import io.edgeshare.api.fleet.RolloutOutcome;
import io.edgeshare.api.fleet.RolloutPlan;
import io.edgeshare.api.fleet.RolloutProgress;
import io.edgeshare.api.fleet.RolloutStore;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The operator's rollout API inside the {@code edgeshare-platform-api} context (operator bearer token, JSON
 * bodies: enforced by that context): {@code GET /api/rollouts} (paged, newest first), {@code GET
 * /api/rollouts/{id}} (state, stage, counts, per-gateway outcomes paged), {@code POST
 * /api/rollouts/{id}/resume|abort|rollback}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=edgeshare-platform-api)")
@HttpWhiteboardServletPattern({ "/rollouts", "/rollouts/*" })
@HttpWhiteboardServletName("edgeshare-rollout-api")
public final class RolloutServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RolloutServlet.class);
    private final transient RolloutService service;

    @Activate
    public RolloutServlet(@Reference RolloutService service) {
        this.service = service;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        RolloutStore store = service.engine().store();
        String path = req.getPathInfo();
        try {
            if (path == null || path.equals("/")) {
                long before = number(req.getParameter("before"), Long.MAX_VALUE, "before");
                int limit = (int) number(req.getParameter("limit"), 50, "limit");
                checkLimit(limit);
                List<Map<String, Object>> list = new ArrayList<>();
                List<Rollout> page = store.rollouts(before, limit);
                for (Rollout r : page) {
                    list.add(view(store, r));
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("rollouts", list);
                body.put("nextBefore", page.size() == limit ? page.get(page.size() - 1).id() : null);
                PolicyServlet.send(resp, 200, body);
                return;
            }
            long id = id(path.substring(1));
            Rollout r = store.rollout(id).orElseThrow(() -> new RequestException(404, "no rollout " + path.substring(1)));
            Map<String, Object> body = view(store, r);
            int limit = (int) number(req.getParameter("limit"), 100, "limit");
            checkLimit(limit);
            RolloutOutcome.State state = state(req.getParameter("state"));
            List<RolloutOutcome> outcomes = store.outcomes(id, state, req.getParameter("after"), limit);
            List<Map<String, Object>> gateways = new ArrayList<>();
            for (RolloutOutcome o : outcomes) {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("deviceId", o.deviceId());
                g.put("state", lower(o.state()));
                g.put("detail", o.detail());
                g.put("at", o.at());
                gateways.add(g);
            }
            body.put("gateways", gateways);
            body.put("nextAfter", outcomes.size() == limit ? outcomes.get(outcomes.size() - 1).deviceId() : null);
            PolicyServlet.send(resp, 200, body);
        } catch (RequestException e) {
            PolicyServlet.error(resp, e);
        } catch (RuntimeException e) {
            LOG.warn("edgeshare.platform.policy: GET {} failed: {}", req.getRequestURI(), e.toString());
            PolicyServlet.error(resp, new RequestException(503, "store-unavailable", "the platform store cannot be "
                    + "read now"));
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        String[] parts = path.split("/");
        RolloutEngine engine = service.engine();
        try {
            if (parts.length != 3 || !Set.of("resume", "abort", "rollback").contains(parts[2])) {
                throw new RequestException(404, "no such resource (POST /api/rollouts/{id}/resume, abort or rollback)");
            }
            long id = id(parts[1]);
            JsonObject body = PolicyServlet.body(req, false);
            switch (parts[2]) {
                case "resume" -> reply(resp, 200, engine.resume(id), engine.store(), false);
                case "abort" -> reply(resp, 200, engine.abort(id), engine.store(), false);
                default -> rollback(resp, engine, id, body == null ? new JsonObject() : body);
            }
        } catch (RequestException e) {
            PolicyServlet.error(resp, e);
        } catch (IOException e) {
            LOG.warn("edgeshare.platform.policy: {} {}: the client left before its body was read", req.getMethod(),
                    req.getRequestURI());
        } catch (RuntimeException e) {
            LOG.warn("edgeshare.platform.policy: POST {} failed: {}", req.getRequestURI(), e.toString());
            PolicyServlet.error(resp, new RequestException(503, "store-unavailable", "the platform store cannot be "
                    + "written now"));
        }
    }

    private static void rollback(HttpServletResponse resp, RolloutEngine engine, long id, JsonObject body)
            throws RequestException {
        for (String k : body.keySet()) {
            if (!k.equals("toGeneration") && !RolloutRequest.PLAN_FIELDS.contains(k)) {
                throw new RequestException(400, "unknown field '" + k + "' (toGeneration, canaryPercent, waves, "
                        + "waveIntervalS, haltWhen)");
            }
        }
        Long to = body.has("toGeneration") ? (long) RolloutRequest.integer(body.get("toGeneration"), "toGeneration",
                0, Integer.MAX_VALUE) : null;
        RolloutPlan plan = RolloutRequest.plan(body, 0);
        var back = engine.rollback(id, to, plan);
        if (back.isPresent()) {
            reply(resp, 202, back.get(), engine.store(), true);
        } else {
            reply(resp, 200, engine.store().rollout(id).orElseThrow(), engine.store(), false);
        }
    }

    static void reply(HttpServletResponse resp, int status, Rollout r, RolloutStore store, boolean location) {
        if (location) {
            resp.setHeader("Location", "/api/rollouts/" + r.id());
        }
        PolicyServlet.send(resp, status, view(store, r));
    }

    /** A rollout as the operator sees it. */
    static Map<String, Object> view(RolloutStore store, Rollout r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("generation", r.generation());
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("kind", lower(r.target().kind()));
        target.put("value", r.target().value());
        m.put("target", target);
        m.put("state", lower(r.state()));
        store.progress(r.id()).ifPresent(p -> progress(m, p));
        RolloutEngine.Counts c = RolloutEngine.Counts.of(store.outcomeCounts(r.id()));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("total", c.total());
        counts.put("pending", c.pending());
        counts.put("sent", c.sent());
        counts.put("applied", c.applied());
        counts.put("rejected", c.rejected());
        counts.put("reverted", c.reverted());
        m.put("counts", counts);
        m.put("createdAt", r.createdAt());
        m.put("updatedAt", r.updatedAt());
        return m;
    }

    private static void progress(Map<String, Object> m, RolloutProgress p) {
        m.put("stage", p.stage());
        m.put("stages", p.plan().stages());
        m.put("stagePercent", p.stage() < 0 ? 0 : p.plan().stages().get(p.stage()));
        m.put("stageStartedAt", p.stageStartedAt());
        m.put("waveIntervalS", p.plan().waveIntervalS());
        Map<String, Object> halt = new LinkedHashMap<>();
        halt.put("rejectedPercent", p.plan().rejectedPercent());
        halt.put("revertedPercent", p.plan().revertedPercent());
        halt.put("minOutcomes", p.plan().minOutcomes());
        m.put("haltWhen", halt);
        if (p.restores() >= 0) {
            m.put("restores", p.restores());
        }
        m.put("note", p.note());
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static RolloutOutcome.State state(String text) throws RequestException {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return RolloutOutcome.State.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RequestException(400, "state must be pending, sent, applied, rejected or reverted");
        }
    }

    private static long id(String text) throws RequestException {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new RequestException(404, "no such rollout (expected /api/rollouts/{id})");
    }

    private static long number(String text, long fallback, String name) throws RequestException {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new RequestException(400, "'" + name + "' must be a number");
        }
    }

    private static void checkLimit(int limit) throws RequestException {
        if (limit < 1 || limit > 1000) {
            throw new RequestException(400, "'limit' must be 1..1000");
        }
    }
}
