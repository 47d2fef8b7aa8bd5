package io.edgeshare.portal.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code GET /api/portal/nearby}: the sharers in range for the Nearby card, nearest first. Read-only, for
 * anyone on the hotspot.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/portal/nearby")
@HttpWhiteboardServletName("edgeshare-portal-nearby")
public final class NearbyServlet extends ReadOnlyJsonServlet {
    private static final long serialVersionUID = 1L;

    // another bundle may later offer a merged view (mDNS, radio, platform); the best ranked one is used
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NearbySharers nearby;

    private final transient SharingSwitch sharing;
    private final transient PortalTelemetry telemetry;

    @Activate
    public NearbyServlet(@Reference SharingSwitch sharing, @Reference PortalTelemetry telemetry) {
        this.sharing = sharing;
        this.telemetry = telemetry;
    }

    @Override
    Object answer(HttpServletRequest req) {
        NearbySharers source = nearby;
        List<NearbySharer> sharers = source == null ? List.of() : NearbyView.nearestFirst(source.sharers());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sharing", sharing.json());
        body.put("available", source != null);
        body.put("count", sharers.size());
        body.put("sharers", sharers.stream().map(NearbyView::sharer).toList());
        return body;
    }

    @Override
    PortalTelemetry telemetry() {
        return telemetry;
    }
}
