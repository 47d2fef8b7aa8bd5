package io.edgeshare.platform.fleet.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.edgeshare.api.ap.GeoLocation;

/**
 * Which online gateways are within range of each other (claim A6) and what they share (from their catalog
 * reports, claim A5), so the platform can push each gateway its list of nearby sharers (claim A7).
 *
 * <p>Not thread-safe: the fleet service calls it from one thread.
 */
final class NearbyIndex {
    /** A sharer as pushed to a gateway. */
    record Sharer(String deviceId, String baseUrl, double distanceM, List<String> contentIds) {
    }

    private static final class Node {
        boolean online;
        GeoLocation location;
        String baseUrl = "";
        final Set<String> content = new LinkedHashSet<>();
        long rev = -1; // catalog revision held; -1: none yet (no full list seen)
    }

    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, List<Sharer>> published = new HashMap<>();
    private double rangeM;

    NearbyIndex(double rangeM) {
        this.rangeM = rangeM;
    }

    void range(double metres) {
        this.rangeM = metres;
    }

    void presence(String deviceId, boolean online, double lat, double lon, String baseUrl) {
        Node n = nodes.computeIfAbsent(deviceId, k -> new Node());
        n.online = online;
        if (online) {
            try {
                n.location = new GeoLocation(lat, lon);
            } catch (IllegalArgumentException e) {
                n.location = null; // no usable location: never "in range"
            }
            n.baseUrl = baseUrl == null ? "" : baseUrl;
        }
    }

    /**
     * Applies a full catalog, or a delta when it starts from the revision held ({@code baseRev}).
     *
     * @return false when the delta was not applied because the revision held is another (or none): the
     *         caller asks the gateway for a full list
     */
    boolean catalog(String deviceId, boolean full, long rev, long baseRev, List<String> upserted,
            List<String> removed) {
        Node n = nodes.computeIfAbsent(deviceId, k -> new Node());
        if (full) {
            n.content.clear();
        } else if (n.rev < 0 || n.rev != baseRev) {
            return false;
        }
        n.content.addAll(upserted);
        removed.forEach(n.content::remove);
        n.rev = rev;
        return true;
    }

    /** The current list for one gateway, nearest first. */
    List<Sharer> sharersFor(String deviceId) {
        Node self = nodes.get(deviceId);
        if (self == null || !self.online || self.location == null) {
            return List.of();
        }
        List<Sharer> list = new ArrayList<>();
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            Node other = e.getValue();
            if (e.getKey().equals(deviceId) || !other.online || other.location == null || other.baseUrl.isEmpty()) {
                continue;
            }
            double d = self.location.distanceTo(other.location);
            if (d <= rangeM) {
                list.add(new Sharer(e.getKey(), other.baseUrl, Math.round(d * 10) / 10.0,
                        List.copyOf(other.content)));
            }
        }
        list.sort(Comparator.comparingDouble(Sharer::distanceM).thenComparing(Sharer::deviceId));
        return list;
    }

    /** Lists that changed since the last call, by gateway; only online gateways get one. */
    Map<String, List<Sharer>> changes() {
        Map<String, List<Sharer>> changed = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            if (!e.getValue().online) {
                published.remove(e.getKey()); // it gets a fresh list when it is back
                continue;
            }
            List<Sharer> now = sharersFor(e.getKey());
            if (!Objects.equals(now, published.get(e.getKey()))) {
                published.put(e.getKey(), now);
                changed.put(e.getKey(), now);
            }
        }
        return changed;
    }
}
