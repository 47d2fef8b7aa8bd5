package io.edgeshare.audio.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.edgeshare.api.audio.JoinRequest;
import io.edgeshare.api.audio.TrackRequest;
import io.edgeshare.audio.internal.Admission;
import io.edgeshare.audio.internal.FifoAudioChannel;
import io.edgeshare.audio.internal.LiveChannel;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The channels' REST API under {@code /api/audio}: status, join requests and the owner's approvals
 * (claims B1, B2, B8), on-demand track requests (claim B4). Documented in docs/http-api.md.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ "/api/audio", "/api/audio/*" })
@HttpWhiteboardServletName("edgeshare-audio-api")
public final class AudioApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 16 * 1024;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<LiveChannel> channels;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> seg = Channels.segments(req.getPathInfo());
        List<LiveChannel> cs = channels == null ? List.of() : channels;
        if (seg.isEmpty()) {
            List<Object> all = new ArrayList<>();
            for (LiveChannel c : cs) {
                all.add(status(c, req));
            }
            Json.send(resp, 200, Map.of("channels", all));
            return;
        }
        Optional<LiveChannel> found = Channels.find(cs, seg.get(0));
        if (found.isEmpty()) {
            Json.send(resp, 404, Json.error("no-channel", "no audio channel '" + seg.get(0) + "'"));
            return;
        }
        LiveChannel ch = found.get();
        String what = seg.size() > 1 ? seg.get(1) : "";
        switch (what) {
            case "" -> Json.send(resp, 200, status(ch, req));
            case "queue" -> {
                if (seg.size() == 3) {
                    Optional<TrackRequest> r = ch.trackRequest(seg.get(2));
                    if (r.isPresent()) {
                        Json.send(resp, 200, r.get());
                    } else {
                        Json.send(resp, 404, Json.error("not-found", "no track request '" + seg.get(2) + "'"));
                    }
                } else {
                    Json.send(resp, 200, Map.of("queue", ch.details().queue()));
                }
            }
            case "join" -> {
                Optional<JoinRequest> r = seg.size() == 3 && ch instanceof FifoAudioChannel f
                        ? f.joinRequest(seg.get(2)) : Optional.empty();
                if (r.isPresent()) {
                    Json.send(resp, 200, joinView(ch, r.get(), req));
                } else {
                    Json.send(resp, 404, Json.error("not-found", "no join request '" + (seg.size() == 3 ? seg.get(2) : "") + "'"));
                }
            }
            case "requests" -> {
                if (owner(ch, req, resp)) {
                    Json.send(resp, 200, Map.of("requests", ch.joinRequests()));
                }
            }
            default -> Json.send(resp, 404, Json.error("not-found", "unknown resource '" + what + "'"));
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> seg = Channels.segments(req.getPathInfo());
        List<LiveChannel> cs = channels == null ? List.of() : channels;
        Optional<LiveChannel> found = seg.isEmpty() ? Optional.empty() : Channels.find(cs, seg.get(0));
        if (found.isEmpty()) {
            Json.send(resp, 404, Json.error("no-channel", "no audio channel '" + (seg.isEmpty() ? "" : seg.get(0)) + "'"));
            return;
        }
        LiveChannel ch = found.get();
        String what = seg.size() > 1 ? seg.get(1) : "";
        JsonObject body;
        try {
            body = body(req);
        } catch (BodyTooLarge e) {
            Json.send(resp, 413, Json.error("too-large", "a request body is at most " + MAX_BODY + " bytes"));
            return;
        } catch (IOException | JsonParseException | IllegalStateException e) {
            // never echo the parser's text: it names library internals
            Json.send(resp, 400, Json.error("bad-request", "the body must be a JSON object"));
            return;
        }
        if (what.equals("join") && seg.size() == 2 && ch instanceof FifoAudioChannel f) {
            String name = str(body, "name");
            String client = req.getRemoteAddr() + (name.isEmpty() ? "" : " (" + name + ")");
            JoinRequest r;
            try {
                r = f.requestJoin(client);
            } catch (Admission.TooManyRequests e) {
                resp.setHeader("Retry-After", "60");
                Json.send(resp, 503, Json.error("too-many-requests", e.getMessage()));
                return;
            }
            int status = switch (r.state()) {
                case JoinRequest.APPROVED -> 200;
                case JoinRequest.PENDING -> 202;
                default -> 503;
            };
            Map<String, Object> view = joinView(ch, r, req);
            if (status == 503) {
                resp.setHeader("Retry-After", "30");
                view.put("error", "full");
            }
            Json.send(resp, status, view);
        } else if (what.equals("requests") && seg.size() == 4
                && (seg.get(3).equals("approve") || seg.get(3).equals("decline"))) {
            if (!owner(ch, req, resp)) {
                return;
            }
            Optional<JoinRequest> r = ch.decide(seg.get(2), seg.get(3).equals("approve"));
            if (r.isPresent()) {
                Json.send(resp, 200, r.get());
            } else {
                Json.send(resp, 404, Json.error("not-found", "no join request '" + seg.get(2) + "'"));
            }
        } else if (what.equals("queue") && seg.size() == 2) {
            String query = str(body, "query");
            if (query.isEmpty() && req.getParameter("q") != null) {
                query = req.getParameter("q").strip();
            }
            if (query.isEmpty()) {
                Json.send(resp, 400, Json.error("bad-request", "name a track: {\"query\": \"title, artist or file name\"}"));
                return;
            }
            try {
                TrackRequest r = ch.requestTrack(query, req.getRemoteAddr());
                int status = switch (r.state()) {
                    case TrackRequest.FAILED -> 404;
                    case TrackRequest.SEARCHING -> 202;
                    default -> 201;
                };
                resp.setHeader("Location", req.getRequestURI() + "/" + r.id());
                if (status == 404) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("error", "no-match");
                    m.put("reason", r.detail());
                    m.put("request", r);
                    Json.send(resp, 404, m);
                } else {
                    Json.send(resp, status, r);
                }
            } catch (IllegalStateException e) {
                resp.setHeader("Retry-After", "60");
                Json.send(resp, 429, Json.error("queue-full", e.getMessage()));
            }
        } else {
            Json.send(resp, 404, Json.error("not-found", "unknown resource"));
        }
    }

    private static Map<String, Object> status(LiveChannel ch, HttpServletRequest req) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", ch.details());
        m.put("streamUrl", req.getContextPath() + "/audio/" + ch.id());
        return m;
    }

    private static Map<String, Object> joinView(LiveChannel ch, JoinRequest r, HttpServletRequest req) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("state", r.state());
        m.put("requestedAt", r.requestedAt());
        if (!r.ticket().isEmpty()) {
            m.put("ticket", r.ticket());
            m.put("streamUrl", req.getContextPath() + "/audio/" + ch.id() + "?ticket=" + r.ticket());
        }
        if (r.state().equals(JoinRequest.DECLINED)) {
            m.put("reason", ch.admission().mode().name().equals("CAPPED") ? "channel is full" : "declined by the owner");
        }
        return m;
    }

    /** The owner: the configured bearer token, or, when none is set, a client on the gateway itself. */
    private static boolean owner(LiveChannel ch, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String token = ch.settings().ownerToken();
        String auth = req.getHeader("Authorization");
        if (!token.isEmpty()) {
            String given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).strip() : "";
            if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"edgeshare-audio\"");
            Json.send(resp, 401, Json.error("owner-token-required", "the owner's bearer token is required"));
            return false;
        }
        if (InetAddress.getByName(req.getRemoteAddr()).isLoopbackAddress()) {
            return true;
        }
        Json.send(resp, 403, Json.error("forbidden", "no owner token is configured: only the gateway itself may decide"));
        return false;
    }

    /** The request body exceeds {@link #MAX_BODY}. */
    private static final class BodyTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static JsonObject body(HttpServletRequest req) throws IOException {
        if (req.getContentLengthLong() > MAX_BODY) {
            throw new BodyTooLarge();
        }
        try (InputStream in = req.getInputStream()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new BodyTooLarge();
            }
            String text = new String(b, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return new JsonObject();
            }
            JsonElement e = JsonParser.parseString(text);
            return e.getAsJsonObject();
        }
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || !e.isJsonPrimitive() ? "" : e.getAsString().strip();
    }
}
