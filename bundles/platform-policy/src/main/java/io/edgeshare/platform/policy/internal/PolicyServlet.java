package io.edgeshare.platform.policy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The operator's policy API: {@code POST /api/policies} (sign and publish), {@code GET /api/policies}
 * (history), {@code GET /api/policies/{generation}} (per-gateway outcome), {@code POST
 * /api/policies/{generation}/rollback}, {@code GET /api/policy-key} (the key gateways are provisioned with).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ "/api/policies", "/api/policies/*", "/api/policy-key" })
@HttpWhiteboardServletName("edgeshare-policy-api")
public final class PolicyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 1024 * 1024;
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping()
            .registerTypeAdapter(java.time.Instant.class,
                    (JsonSerializer<java.time.Instant>) (src, t, c) -> new JsonPrimitive(src.toString()))
            .create();

    private final transient PahoPolicyService service;

    @Activate
    public PolicyServlet(@Reference PahoPolicyService service) {
        this.service = service;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PolicyAuthority a = service.authority();
        if (req.getServletPath().equals("/api/policy-key")) {
            PlatformKey key = a.key();
            if ("pem".equals(req.getParameter("format"))) {
                byte[] pem = key.publicKeyPem().getBytes(StandardCharsets.US_ASCII);
                resp.setContentType("application/x-pem-file");
                resp.setContentLength(pem.length);
                resp.getOutputStream().write(pem);
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("algorithm", "Ed25519");
            body.put("keyId", key.keyId());
            body.put("publicKey", key.publicKeyBase64());
            body.put("pem", key.publicKeyPem());
            body.put("provisioning", "edgeshare.policy: platform.public.key = " + key.publicKeyBase64());
            send(resp, 200, body);
            return;
        }
        String path = req.getPathInfo();
        if (path == null || path.equals("/")) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Published p : a.history().list()) {
                list.add(summary(a, p));
            }
            Collections.reverse(list);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("connected", service.connected());
            body.put("keyId", a.key().keyId());
            body.put("knownGateways", a.history().devices().size());
            body.put("policies", list);
            send(resp, 200, body);
            return;
        }
        long g = generation(path.substring(1));
        if (g <= 0) {
            send(resp, 404, Map.of("error", "no such policy: " + path.substring(1)));
            return;
        }
        a.history().get(g).ifPresentOrElse(p -> {
            Map<String, Object> body = summary(a, p);
            body.put("policy", JsonParser.parseString(p.payload()));
            body.put("envelope", JsonParser.parseString(p.envelope()));
            body.put("gateways", a.history().outcomes(p));
            send(resp, 200, body);
        }, () -> send(resp, 404, Map.of("error", "no policy generation " + g)));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getServletPath().equals("/api/policy-key")) {
            send(resp, 405, Map.of("error", "GET only"));
            return;
        }
        PolicyAuthority a = service.authority();
        String path = req.getPathInfo();
        try {
            JsonObject body = body(req, path == null || path.equals("/"));
            PolicyAuthority.Result r;
            if (path == null || path.equals("/")) {
                r = a.publish(body);
            } else if (path.endsWith("/rollback") && generation(path.substring(1, path.length() - 9)) > 0) {
                r = a.rollback(generation(path.substring(1, path.length() - 9)), body);
            } else {
                send(resp, 404, Map.of("error", "no such resource: " + path));
                return;
            }
            Map<String, Object> out = summary(a, r.published());
            out.put("deliveries", r.deliveries());
            resp.setHeader("Location", "/api/policies/" + r.published().generation());
            send(resp, 201, out);
        } catch (RequestException e) {
            send(resp, e.status(), Map.of("error", e.getMessage()));
        }
    }

    private static JsonObject body(HttpServletRequest req, boolean required) throws IOException, RequestException {
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new RequestException(413, "request body over " + MAX_BODY + " bytes");
        }
        if (bytes.length == 0 && !required) {
            return null;
        }
        try {
            JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new RequestException(400, "the body must be a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new RequestException(400, "the body is not valid JSON: " + e.getMessage());
        }
    }

    private static Map<String, Object> summary(PolicyAuthority a, Published p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generation", p.generation());
        m.put("publishedAt", p.publishedAt());
        m.put("targets", p.targets());
        m.put("comment", p.comment());
        if (p.rollbackOf() > 0) {
            m.put("rollbackOf", p.rollbackOf());
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (Outcome o : a.history().outcomes(p).values()) {
            counts.merge(o.outcome(), 1, Integer::sum);
        }
        m.put("outcomes", counts);
        return m;
    }

    private static long generation(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
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
