package io.edgeshare.platform.policy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import io.edgeshare.api.fleet.Rollout;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The operator's policy API, inside the {@code edgeshare-platform-api} context (operator bearer token, JSON
 * bodies, allowed hosts: enforced by that context, so without it nothing here is served): {@code POST
 * /api/policies} (sign and publish), {@code GET /api/policies} (history), {@code GET /api/policies/{generation}}
 * (per-gateway outcome; secrets redacted), {@code POST /api/policies/{generation}/rollback}, and the public
 * {@code GET /api/policy-key} (the key gateways are provisioned with).
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=edgeshare-platform-api)")
@HttpWhiteboardServletPattern({ "/policies", "/policies/*", "/policy-key" })
@HttpWhiteboardServletName("edgeshare-policy-api")
public final class PolicyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PolicyServlet.class);
    static final int MAX_BODY = 256 * 1024;
    private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping()
            .registerTypeAdapter(Instant.class,
                    (JsonSerializer<Instant>) (src, t, c) -> new JsonPrimitive(src.toString()))
            .create();

    private final transient PahoPolicyService service;

    /** With the platform store: publishing goes through staged rollouts (202 + /api/rollouts/{id}). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile RolloutService rollouts;

    @Activate
    public PolicyServlet(@Reference PahoPolicyService service) {
        this.service = service;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        PolicyAuthority a = service.authority();
        if (req.getServletPath().equals("/policy-key")) {
            policyKey(req, resp, a.key());
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
            error(resp, new RequestException(404, "no such policy (expected /api/policies/{generation})"));
            return;
        }
        a.history().get(g).ifPresentOrElse(p -> send(resp, 200, view(a, p)),
                () -> error(resp, new RequestException(404, "no policy generation " + g)));
    }

    private static void policyKey(HttpServletRequest req, HttpServletResponse resp, PlatformKey key) {
        if ("pem".equals(req.getParameter("format"))) {
            byte[] pem = key.publicKeyPem().getBytes(StandardCharsets.US_ASCII);
            resp.setContentType("application/x-pem-file");
            resp.setContentLength(pem.length);
            write(resp, pem);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("algorithm", "Ed25519");
        body.put("keyId", key.keyId());
        body.put("publicKey", key.publicKeyBase64());
        body.put("pem", key.publicKeyPem());
        body.put("provisioning", "edgeshare.policy: platform.public.key = " + key.publicKeyBase64());
        send(resp, 200, body);
    }

    /** One generation as the operator sees it: the policy and envelope with every secret redacted. */
    private static Map<String, Object> view(PolicyAuthority a, Published p) {
        Map<String, Object> body = summary(a, p);
        JsonElement policy = JsonParser.parseString(p.payload());
        body.put("policy", SecretRedaction.redact(policy));
        JsonObject envelope = JsonParser.parseString(p.envelope()).getAsJsonObject();
        if (SecretRedaction.holdsSecrets(policy)) {
            // the signed payload carries the secret in base64: it is delivered to the gateways only
            envelope.addProperty("payload", SecretRedaction.REDACTED);
        }
        body.put("envelope", envelope);
        body.put("gateways", a.history().outcomes(p));
        return body;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
        if (req.getServletPath().equals("/policy-key")) {
            error(resp, new RequestException(405, "GET only"));
            return;
        }
        PolicyAuthority a = service.authority();
        String path = req.getPathInfo();
        RolloutService staged = rollouts;
        try {
            if (staged != null || "/clear".equals(path)) {
                rollout(req, resp, a, staged, path == null ? "/" : path);
                return;
            }
            JsonObject body = body(req, path == null || path.equals("/"));
            PolicyAuthority.Result r;
            if (path == null || path.equals("/")) {
                r = a.publish(body);
            } else if (path.endsWith("/rollback") && generation(path.substring(1, path.length() - 9)) > 0) {
                r = a.rollback(generation(path.substring(1, path.length() - 9)), body);
            } else {
                error(resp, new RequestException(404, "no such resource (POST /api/policies or "
                        + "/api/policies/{generation}/rollback)"));
                return;
            }
            Map<String, Object> out = summary(a, r.published());
            out.put("deliveries", r.deliveries());
            resp.setHeader("Location", "/api/policies/" + r.published().generation());
            send(resp, 201, out);
        } catch (RequestException e) {
            error(resp, e);
        } catch (IOException e) {
            // the client hung up (or sent less than it announced): nobody is left to answer
            LOG.warn("edgeshare.platform.policy: {} {} from {}: the client left before its body was read",
                    req.getMethod(), req.getRequestURI(), req.getRemoteAddr());
        }
    }

    /** Publishing as a staged rollout: {@code /}, {@code /clear}, {@code /{g}/rollback} (g = 0: no policy). */
    private static void rollout(HttpServletRequest req, HttpServletResponse resp, PolicyAuthority a,
            RolloutService staged, String path) throws RequestException, IOException {
        if (staged == null) {
            throw new RequestException(503, "rollouts-unavailable", "rollouts need the platform store, which is not "
                    + "running; nothing was published");
        }
        RolloutEngine engine = staged.engine();
        JsonObject body = body(req, path.equals("/"));
        body = body == null ? new JsonObject() : body;
        Rollout r;
        if (path.equals("/")) {
            RolloutRequest rr = RolloutRequest.parse(body, Set.of("policy", "comment"), true);
            r = engine.start(PolicyAuthority.sections(body), rr, PolicyAuthority.comment(body), -1);
        } else if (path.equals("/clear")) {
            RolloutRequest rr = RolloutRequest.parse(body, Set.of("comment"), false);
            if (rr.target() == null) {
                rr = new RolloutRequest(new Rollout.Target(Rollout.Target.Kind.ALL, ""), List.of(), rr.plan());
            }
            String comment = PolicyAuthority.comment(body);
            r = engine.start(new JsonObject(), rr, comment.isEmpty() ? "back to the profile's own values" : comment, 0);
        } else if (path.endsWith("/rollback") && generation(path.substring(1, path.length() - 9)) >= 0) {
            long g = generation(path.substring(1, path.length() - 9));
            RolloutRequest rr = RolloutRequest.parse(body, Set.of(), false);
            if (rr.target() == null) {
                List<String> before = g == 0 ? List.of(Published.ALL) : a.history().get(g).orElseThrow(
                        () -> new RequestException(404, "no policy generation " + g)).targets();
                JsonObject t = new JsonObject();
                t.add("targets", GSON.toJsonTree(before.contains(Published.ALL) ? Published.ALL : before));
                RolloutRequest old = RolloutRequest.parse(t, Set.of(), true);
                rr = new RolloutRequest(old.target(), old.devices(), rr.plan());
            }
            JsonObject sections = g == 0 ? new JsonObject() : a.sectionsOf(g);
            r = engine.start(sections, rr, g == 0 ? "rollback to no policy" : "rollback to generation " + g, g);
        } else {
            throw new RequestException(404, "no such resource (POST /api/policies, /api/policies/clear or "
                    + "/api/policies/{generation}/rollback)");
        }
        RolloutServlet.reply(resp, 202, r, engine.store(), true);
    }

    static JsonObject body(HttpServletRequest req, boolean required) throws IOException, RequestException {
        if (req.getContentLengthLong() > MAX_BODY) {
            throw new RequestException(413, "the body is over " + MAX_BODY + " bytes");
        }
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new RequestException(413, "the body is over " + MAX_BODY + " bytes");
        }
        if (bytes.length == 0 && !required) {
            return null;
        }
        return jsonObject(bytes);
    }

    /** Strict JSON (no comments, no unquoted names, nothing after the value) that must be an object. */
    static JsonObject jsonObject(byte[] bytes) throws RequestException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RequestException(400, "invalid-json", "the body is not valid UTF-8");
        }
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setStrictness(Strictness.STRICT);
            JsonElement e = JsonParser.parseReader(r);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new RequestException(400, "invalid-json", "the body has more after its JSON value");
            }
            if (!e.isJsonObject()) {
                throw new RequestException(400, "invalid-json", "the body must be a JSON object");
            }
            return e.getAsJsonObject();
        } catch (RuntimeException | IOException e) {
            // the parser's own text names its classes and links; the client gets the position only
            Matcher m = POSITION.matcher(String.valueOf(e.getMessage()));
            throw new RequestException(400, "invalid-json", "the body is not valid JSON"
                    + (m.find() ? " (line " + m.group(1) + ", column " + m.group(2) + ")" : ""));
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

    static void error(HttpServletResponse resp, RequestException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        send(resp, e.status(), body);
    }

    static void send(HttpServletResponse resp, int status, Object body) {
        byte[] json = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentLength(json.length);
        write(resp, json);
    }

    private static void write(HttpServletResponse resp, byte[] bytes) {
        try {
            resp.getOutputStream().write(bytes);
        } catch (IOException e) {
            LOG.warn("edgeshare.platform.policy: the client left before its answer ({} bytes)", bytes.length);
        }
    }
}
