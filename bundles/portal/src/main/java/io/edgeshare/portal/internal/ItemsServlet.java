package io.edgeshare.portal.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.edgeshare.api.ap.NearbySharer;
import io.edgeshare.api.ap.NearbySharers;
import io.edgeshare.api.cache.ContentCatalog;
import io.edgeshare.api.cache.ContentItem;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code GET /api/portal/items[?q=words][&category=c]}: what this gateway shares, searched and filtered, each
 * item with the nearest sharers that also hold it. Read-only, for anyone on the hotspot.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/portal/items")
@HttpWhiteboardServletName("edgeshare-portal-items")
public final class ItemsServlet extends ReadOnlyJsonServlet {
    private static final long serialVersionUID = 1L;
    static final int HOLDERS_SHOWN = 3;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ContentCatalog catalog;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NearbySharers nearby;

    private final transient SharingSwitch sharing;
    private final transient PortalTelemetry telemetry;

    @Activate
    public ItemsServlet(@Reference SharingSwitch sharing, @Reference PortalTelemetry telemetry) {
        this.sharing = sharing;
        this.telemetry = telemetry;
    }

    @Override
    Object answer(HttpServletRequest req) {
        CatalogQuery query = CatalogQuery.parse(req.getParameter("q"), req.getParameter("category"));
        ContentCatalog c = catalog;
        NearbySharers n = nearby;
        List<ContentItem> all = c == null ? List.of() : c.items();
        List<NearbySharer> sharers = n == null ? List.of() : NearbyView.nearestFirst(n.sharers());
        TreeSet<String> categories = new TreeSet<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (ContentItem item : all) {
            if (item.category() != null && !item.category().isBlank()) {
                categories.add(item.category());
            }
            if (query.matches(item)) {
                items.add(item(item, sharers));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sharing", sharing.json());
        body.put("available", c != null);
        body.put("revision", c == null ? 0 : c.revision());
        body.put("total", all.size());
        body.put("count", items.size());
        body.put("categories", categories);
        body.put("items", items);
        return body;
    }

    private static Map<String, Object> item(ContentItem i, List<NearbySharer> sharers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("title", i.title());
        m.put("mediaType", i.mediaType());
        m.put("size", i.size());
        m.put("sha256", i.sha256());
        m.put("category", i.category());
        m.put("url", "/content/" + i.id());
        m.put("alsoNearby", NearbyView.holders(sharers, i.id(), HOLDERS_SHOWN));
        return m;
    }

    @Override
    PortalTelemetry telemetry() {
        return telemetry;
    }
}
