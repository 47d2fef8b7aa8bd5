package io.edgeshare.platform.fleet.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.edgeshare.platform.nearby.internal.GeoGrid;
import io.edgeshare.platform.nearby.internal.NearbyChange;
import io.edgeshare.protocol.NearbySharerEntry;

/**
 * Which online gateways are within range of each other (claim A6) and what they share (claim A5): a grid of the
 * range size holds the online gateways with a location; a join, move, leave or catalog change recomputes only the
 * lists of the gateways around it, and hands a list to the pusher only when it differs from the last one computed.
 * A list holds the nearest {@code maxSharers} sharers, each with at most {@code maxContentIds} content ids.
 *
 * <p>Not thread-safe: the fleet's ingest thread owns it.
 */
final class NearbyMatcher {

    /** How lists are made. */
    record Limits(double rangeM, int maxSharers, int maxContentIds) {
    }

    private record Member(double lat, double lon, String baseUrl, String name) {
    }

    private final NearbyPusher pusher;
    private Limits limits;
    private GeoGrid grid;
    private final Map<String, Member> members = new HashMap<>();
    private final Map<String, List<String>> content = new HashMap<>();
    private final Map<String, List<NearbySharerEntry>> computed = new HashMap<>();

    NearbyMatcher(Limits limits, NearbyPusher pusher) {
        this.limits = limits;
        this.grid = new GeoGrid(limits.rangeM());
        this.pusher = pusher;
    }

    Limits limits() {
        return limits;
    }

    int size() {
        return members.size();
    }

    /** An online gateway (re)announced itself; without a location it has no neighbours and gets no list. */
    void online(String deviceId, double[] location, String baseUrl, String name, long originNanos) {
        if (location == null) {
            offline(deviceId, originNanos);
            return;
        }
        Member old = members.put(deviceId, new Member(location[0], location[1], baseUrl == null ? "" : baseUrl,
                name));
        grid.put(deviceId, location[0], location[1]);
        NearbyChange change = old == null ? NearbyChange.join(deviceId, location[0], location[1])
                : NearbyChange.move(deviceId, old.lat(), old.lon(), location[0], location[1]);
        recompute(grid.affectedBy(change), originNanos);
    }

    /** The gateway went offline (or was decommissioned): it drops out of its neighbours' lists. */
    void offline(String deviceId, long originNanos) {
        Member old = members.get(deviceId);
        computed.remove(deviceId);
        if (old == null) {
            return;
        }
        Set<String> affected = grid.affectedBy(NearbyChange.leave(deviceId, old.lat(), old.lon()));
        grid.remove(deviceId);
        members.remove(deviceId);
        recompute(affected, originNanos);
    }

    /** Its content list changed (ids in catalog order). */
    void catalog(String deviceId, List<String> contentIds, long originNanos) {
        List<String> capped = List.copyOf(contentIds.subList(0, Math.min(contentIds.size(), limits.maxContentIds())));
        if (capped.equals(content.put(deviceId, capped))) {
            return;
        }
        Member m = members.get(deviceId);
        if (m != null) {
            recompute(grid.affectedBy(NearbyChange.catalog(deviceId, m.lat(), m.lon())), originNanos);
        }
    }

    void decommissioned(String deviceId, long originNanos) {
        offline(deviceId, originNanos);
        content.remove(deviceId);
    }

    /** Loads a gateway at start without recomputing; call {@link #recomputeAll} once all are loaded. */
    void load(String deviceId, double lat, double lon, String baseUrl, List<String> contentIds) {
        members.put(deviceId, new Member(lat, lon, baseUrl == null ? "" : baseUrl, null));
        grid.put(deviceId, lat, lon);
        content.put(deviceId, List.copyOf(contentIds.subList(0, Math.min(contentIds.size(),
                limits.maxContentIds()))));
    }

    void loadContent(String deviceId, List<String> contentIds) {
        content.put(deviceId, List.copyOf(contentIds.subList(0, Math.min(contentIds.size(),
                limits.maxContentIds()))));
    }

    /** New limits: a new grid of the new range, and every list recomputed (only changed ones are pushed). */
    void reconfigure(Limits newLimits, long originNanos) {
        if (newLimits.rangeM() != limits.rangeM()) {
            GeoGrid fresh = new GeoGrid(newLimits.rangeM());
            members.forEach((id, m) -> fresh.put(id, m.lat(), m.lon()));
            grid = fresh;
        }
        // content ids were capped at the old limit: a higher cap shows more with each gateway's next catalog
        limits = newLimits;
        recomputeAll(originNanos);
    }

    void recomputeAll(long originNanos) {
        recompute(members.keySet(), originNanos);
    }

    /** The list a gateway should hold now, nearest first (ties by device id). */
    List<NearbySharerEntry> listFor(String deviceId) {
        if (!members.containsKey(deviceId)) {
            return List.of();
        }
        List<NearbySharerEntry> list = new ArrayList<>();
        for (GeoGrid.Neighbour n : grid.around(deviceId, limits.rangeM(), Integer.MAX_VALUE)) {
            Member m = members.get(n.id());
            if (m == null || m.baseUrl().isEmpty()) {
                continue; // nothing to fetch from
            }
            List<String> ids = content.getOrDefault(n.id(), List.of());
            list.add(new NearbySharerEntry(n.id(), "", m.baseUrl(), Math.round(n.distanceM() * 10) / 10.0,
                    ids.subList(0, Math.min(ids.size(), limits.maxContentIds())), m.name()));
            if (list.size() == limits.maxSharers()) {
                break;
            }
        }
        return list;
    }

    private void recompute(Set<String> affected, long originNanos) {
        for (String id : List.copyOf(affected)) {
            List<NearbySharerEntry> now = listFor(id);
            if (!now.equals(computed.get(id))) {
                computed.put(id, now);
                pusher.offer(id, now, originNanos);
            }
        }
    }
}
