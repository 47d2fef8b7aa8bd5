package io.edgeshare.ap.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.edgeshare.api.ap.NearbySharer;

/**
 * One list from what the platform pushed, DNS-SD heard and the radio saw, one entry per device id, with every
 * source that knows it and the latest time any of them saw it. A locally found address wins over the platform's
 * (it is the link a nearby terminal actually has); the platform's distance and content list are kept.
 */
final class NearbyMerge {
    private NearbyMerge() {
    }

    static List<NearbySharer> merge(List<NearbySharer> platform, List<NearbySharer> mdns, List<NearbySharer> radio,
            String selfId) {
        Map<String, NearbySharer> byId = new LinkedHashMap<>();
        for (List<NearbySharer> source : List.of(platform, mdns, radio)) {
            for (NearbySharer s : source) {
                if (!s.deviceId().equals(selfId) && !s.deviceId().isEmpty()) {
                    byId.merge(s.deviceId(), s, NearbyMerge::combine);
                }
            }
        }
        List<NearbySharer> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparingDouble((NearbySharer s) -> Double.isNaN(s.distanceM()) ? Double.MAX_VALUE
                : s.distanceM()).thenComparing(NearbySharer::deviceId));
        return List.copyOf(out);
    }

    private static NearbySharer combine(NearbySharer a, NearbySharer b) {
        Set<String> sources = new HashSet<>(a.sources());
        sources.addAll(b.sources());
        boolean bLocal = b.sources().contains(NearbySharer.SOURCE_MDNS);
        String base = bLocal && !b.baseUrl().isEmpty() ? b.baseUrl() : a.baseUrl().isEmpty() ? b.baseUrl() : a.baseUrl();
        String name = b.sources().contains(NearbySharer.SOURCE_MDNS) || a.displayName().equals(a.deviceId())
                ? b.displayName() : a.displayName();
        String ssid = b.ssid().isEmpty() ? a.ssid() : b.ssid();
        double distance = Double.isNaN(a.distanceM()) ? b.distanceM() : a.distanceM();
        List<String> ids = a.contentIds().isEmpty() ? b.contentIds() : a.contentIds();
        return new NearbySharer(a.deviceId(), name, ssid, base, distance, ids, sources, later(a.lastSeen(), b.lastSeen()));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
