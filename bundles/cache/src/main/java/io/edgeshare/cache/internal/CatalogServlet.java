package io.edgeshare.cache.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/catalog}: the shared-content list, filtered by the sharing policy; {@code ?category=} narrows
 * it. {@code GET /api/catalog/{id}}: one entry (other gateways read it before fetching from this one).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ "/api/catalog", "/api/catalog/*" })
@HttpWhiteboardServletName("edgeshare-cache-catalog")
public final class CatalogServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern ID_PATH = Pattern.compile("/[A-Za-z0-9_-]{1,128}");

    private final transient ContentCache cache;
    private final transient Replies replies = new Replies();
    /** Revisions restart with the bundle; the nonce keeps ETags of different runs apart. */
    private final String nonce = Long.toString(System.currentTimeMillis(), 36);

    @Activate
    public CatalogServlet(@Reference ContentCache cache) {
        this.cache = cache;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
            replies.error(resp, 405, "method-not-allowed", "the catalog is read with GET", "Allow", "GET, HEAD");
            return;
        }
        String path = req.getPathInfo();
        if (path == null || path.equals("/")) {
            list(req, resp);
        } else if (ID_PATH.matcher(path).matches()) {
            one(resp, path.substring(1));
        } else {
            replies.error(resp, 400, "bad-id", "catalog entries are addressed as /api/catalog/{id}");
        }
    }

    private void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String category = QueryString.parse(req.getQueryString()).get("category");
        long revision = cache.revision();
        String etag = "\"" + nonce + "-" + revision + (category == null ? "" : "-" + category.hashCode()) + "\"";
        if (req.getHeader("If-None-Match") != null && HttpConditions.matches(req.getHeader("If-None-Match"), etag, false)) {
            resp.setHeader("ETag", etag);
            resp.setStatus(304);
            return;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (var item : cache.items()) {
            if (category == null || item.category().equals(category.toLowerCase(Locale.ROOT))) {
                cache.store().get(item.id()).ifPresent(s -> items.add(Replies.item(s)));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("revision", revision);
        body.put("count", items.size());
        body.put("items", items);
        resp.setHeader("ETag", etag);
        replies.json(resp, 200, body);
    }

    private void one(HttpServletResponse resp, String id) throws IOException {
        Optional<StoredItem> item = cache.store().get(id);
        if (item.isEmpty() || !cache.settings().shares(item.get())) {
            replies.error(resp, 404, "not-found", "no shared item " + id);
            return;
        }
        Map<String, Object> body = Replies.item(item.get());
        body.put("origin", item.get().originUrl());
        replies.json(resp, 200, body);
    }
}
