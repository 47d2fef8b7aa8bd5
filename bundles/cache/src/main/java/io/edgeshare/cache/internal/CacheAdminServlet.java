package io.edgeshare.cache.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.support.LogText;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Operator endpoints under {@code /api/cache}, allowed only from {@code admin.addresses}: status, items with
 * progress, acquisition from an origin URL or nearby sharers, upload import, pin/unpin, removal.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/cache/*")
@HttpWhiteboardServletName("edgeshare-cache-admin")
public final class CacheAdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CacheAdminServlet.class);
    /** JSON bodies are small; anything bigger is refused before it is read. */
    static final int MAX_JSON_BYTES = 16 * 1024;
    private static final Pattern ITEM = Pattern.compile("/items/([A-Za-z0-9_-]{1,128})(/pin)?");

    private final transient ContentCache cache;
    private final transient Replies replies = new Replies();

    @Activate
    public CacheAdminServlet(@Reference ContentCache cache) {
        this.cache = cache;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!cache.settings().adminAddresses().contains(req.getRemoteAddr())) {
            replies.error(resp, 403, "forbidden", "cache administration is allowed only from admin.addresses");
            return;
        }
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        String method = req.getMethod();
        Matcher m = ITEM.matcher(path);
        if (path.equals("/status") && method.equals("GET")) {
            status(resp);
        } else if (path.equals("/items") && method.equals("GET")) {
            list(resp);
        } else if (path.equals("/items") && method.equals("POST")) {
            acquire(req, resp);
        } else if (path.equals("/import") && (method.equals("POST") || method.equals("PUT"))) {
            importUpload(req, resp);
        } else if (m.matches()) {
            String id = m.group(1);
            boolean pin = m.group(2) != null;
            if (!pin && method.equals("GET")) {
                one(resp, id);
            } else if (!pin && method.equals("DELETE")) {
                if (cache.store().remove(id)) {
                    resp.setStatus(204);
                } else {
                    replies.error(resp, 404, "not-found", "no item " + id);
                }
            } else if (pin && (method.equals("PUT") || method.equals("DELETE"))) {
                if (cache.store().pin(id, method.equals("PUT"))) {
                    one(resp, id);
                } else {
                    replies.error(resp, 404, "not-found", "no item " + id);
                }
            } else {
                replies.error(resp, 405, "method-not-allowed", method + " is not supported on " + path);
            }
        } else {
            replies.error(resp, 404, "no-such-endpoint", "no cache endpoint " + method + " " + path);
        }
    }

    private void status(HttpServletResponse resp) throws IOException {
        TelemetrySnapshot t = cache.snapshot();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("metrics", t.metrics());
        body.put("labels", t.labels());
        List<Map<String, Object>> flights = new ArrayList<>();
        for (Flight f : cache.fetcher().flights()) {
            flights.add(progress(f));
        }
        body.put("fetching", flights);
        replies.json(resp, 200, body);
    }

    private static Map<String, Object> progress(Flight f) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", f.id());
        p.put("state", "fetching");
        p.put("source", f.source());
        p.put("bytes", f.written());
        p.put("expected", f.expected() < 0 ? null : f.expected());
        return p;
    }

    private void list(HttpServletResponse resp) throws IOException {
        List<StoredItem> all = cache.store().items();
        all.sort(Comparator.comparing(StoredItem::added).reversed());
        List<Map<String, Object>> items = new ArrayList<>();
        Settings s = cache.settings();
        for (StoredItem i : all) {
            items.add(Replies.adminItem(i, s.shares(i)));
        }
        replies.json(resp, 200, Map.of("items", items, "count", items.size()));
    }

    private void one(HttpServletResponse resp, String id) throws IOException {
        Optional<Flight> flight = cache.fetcher().inFlight(id);
        Optional<StoredItem> item = cache.store().get(id);
        if (item.isPresent()) {
            Map<String, Object> body = Replies.adminItem(item.get(), cache.settings().shares(item.get()));
            body.put("state", flight.isPresent() ? "revalidating" : "stored");
            replies.json(resp, 200, body);
        } else if (flight.isPresent()) {
            replies.json(resp, 200, progress(flight.get()));
        } else {
            replies.error(resp, 404, "not-found", "no item " + id);
        }
    }

    /** {@code {"url":..., "id":..., "sha256":..., "title":..., "category":..., "pin":bool}}; url or id needed. */
    private void acquire(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getContentLengthLong() > MAX_JSON_BYTES) {
            replies.error(resp, 413, "too-large", "a request body is at most " + MAX_JSON_BYTES + " bytes");
            return;
        }
        JsonObject body;
        String url;
        String id;
        String sha;
        boolean pin;
        try {
            byte[] raw = req.getInputStream().readNBytes(MAX_JSON_BYTES + 1);
            if (raw.length > MAX_JSON_BYTES) {
                replies.error(resp, 413, "too-large", "a request body is at most " + MAX_JSON_BYTES + " bytes");
                return;
            }
            JsonElement e = JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new JsonParseException("not an object");
            }
            body = e.getAsJsonObject();
            url = str(body, "url");
            id = str(body, "id");
            sha = str(body, "sha256");
            pin = body.has("pin") && body.get("pin").getAsBoolean();
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | ClassCastException e) {
            // never echo the parser's text: it names library internals
            replies.error(resp, 400, "bad-json", "expected a JSON object {\"url\" or \"id\", \"sha256\"?, "
                    + "\"title\"?, \"category\"?, \"pin\"?} with string values");
            return;
        }
        if (url != null) {
            try {
                url = cache.settings().origins().check(url);
            } catch (OriginPrefixes.Refused e) {
                if (e.malformed()) {
                    replies.error(resp, 400, "bad-url", e.getMessage());
                } else {
                    cache.counters().originRefused.increment();
                    LOG.warn("Cache admin request for {} refused: {}", LogText.clean(url), e.getMessage());
                    replies.error(resp, 403, "origin-not-allowed", e.getMessage());
                }
                return;
            }
            String derived = ContentFetcher.idForUrl(url);
            if (id != null && !id.equals(derived)) {
                replies.error(resp, 400, "id-mismatch", "the item of this URL has id " + derived);
                return;
            }
            id = derived;
        }
        if (id == null || !DiskContentStore.ID.matcher(id).matches()) {
            replies.error(resp, 400, "missing-id", "give an origin \"url\" or the item \"id\" of a nearby sharer");
            return;
        }
        if (sha != null && !Hex.isSha256(sha)) {
            replies.error(resp, 400, "bad-sha256", "sha256 must be 64 lower-case hex digits");
            return;
        }
        Optional<StoredItem> have = cache.store().get(id);
        if (have.isPresent() && have.get().freshAt(cache.now())) {
            if (pin) {
                cache.store().pin(id, true);
            }
            one(resp, id);
            return;
        }
        Flight f = cache.fetcher().acquire(new ContentFetcher.Request(id, url, str(body, "title"),
                str(body, "category"), pin, sha), null);
        Map<String, Object> answer = progress(f);
        answer.put("status", "/api/cache/items/" + id);
        resp.setHeader("Location", "/api/cache/items/" + id);
        replies.json(resp, 202, answer);
    }

    /** The request body is the file; {@code ?title=&category=&mediaType=&pin=true}. */
    private void importUpload(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, String> q = QueryString.parse(req.getQueryString());
        String title = q.get("title");
        if (title == null || title.isBlank()) {
            replies.error(resp, 400, "missing-title", "give ?title= (a file name such as clip.mp4)");
            return;
        }
        String mediaType = MediaTypes.normalise(q.get("mediaType"));
        String category = q.get("category");
        boolean pin = "true".equals(q.get("pin"));
        try {
            StoredItem item = cache.importStream(req.getInputStream(), req.getContentLengthLong(), title, mediaType,
                    category, pin);
            resp.setHeader("Location", "/content/" + item.id());
            replies.json(resp, 201, Replies.adminItem(item, cache.settings().shares(item)));
        } catch (StoreException e) {
            int status = switch (e.reason()) {
                case "too-large" -> 413;
                case "disk-full", "quota-full" -> 507;
                default -> 400;
            };
            replies.error(resp, status, e.reason(), e.getMessage());
        } catch (IOException e) {
            // the upload broke off (client gone or short body): one line, nothing admitted
            LOG.warn("Cache import of {} from {} failed: {}", LogText.clean(title), req.getRemoteAddr(),
                    LogText.clean(e.toString()));
            replies.error(resp, 400, "upload-failed", "the upload ended before its end; nothing was imported");
        }
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive()) {
            throw new IllegalStateException(key + " is not a string");
        }
        return e.getAsString();
    }
}
