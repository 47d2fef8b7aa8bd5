package io.edgeshare.bench.fleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every simulated gateway's nearby list should be, computed here independently of the platform (a grid of
 * cells at least the range wide, exact haversine inside), and how long the platform took to deliver each changed
 * list. A list is compared as its sharers' ids in order, each with its content ids.
 *
 * <p>A change makes the lists around it "pending" from that moment; the pending entry ends when the gateway receives
 * exactly the expected list (a latency sample, if the change was a timed one) or when the expected list goes back to
 * what the gateway already holds. Thread-safe (every method is synchronized): MQTT callbacks and the driver call it.
 */
final class Oracle {
    private static final double EARTH_RADIUS_M = 6_371_000d;

    private record Pending(long sinceNanos, boolean timed) {
    }

    private final double rangeM;
    private final int maxSharers;
    private final int maxContentIds;
    private final double cellLatDeg;
    private final double cellLonDeg;
    private final Map<String, double[]> online = new HashMap<>();
    private final Map<Long, Set<String>> cells = new HashMap<>();
    private final Map<String, List<String>> content = new HashMap<>();
    private final Map<String, String> expected = new HashMap<>();
    private final Map<String, String> held = new HashMap<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private final Set<String> unreachable = new HashSet<>(); // in an outage shorter than the will delay
    private final List<Long> latencies = new ArrayList<>();
    private final List<Long> deliveries = new ArrayList<>();
    private long listsReceived;

    Oracle(double rangeM, int maxSharers, int maxContentIds, double maxLatDeg) {
        this.rangeM = rangeM;
        this.maxSharers = maxSharers;
        this.maxContentIds = maxContentIds;
        this.cellLatDeg = Math.toDegrees(rangeM / EARTH_RADIUS_M) * 1.01;
        this.cellLonDeg = cellLatDeg / Math.cos(Math.toRadians(Math.min(89, Math.abs(maxLatDeg) + 1)));
    }

    /** The gateway is online at this place (a birth, or a move). */
    synchronized void online(String id, double lat, double lon, long nanos, boolean timed) {
        unreachable.remove(id);
        double[] old = online.get(id);
        Set<String> affected = new LinkedHashSet<>();
        if (old != null) {
            affected.addAll(near(old[0], old[1], id));
            cell(old).remove(id);
        }
        double[] now = { lat, lon };
        online.put(id, now);
        cells.computeIfAbsent(key(now), k -> new HashSet<>()).add(id);
        affected.addAll(near(lat, lon, id));
        affected.add(id);
        update(affected, nanos, timed);
    }

    /** The gateway went offline (a goodbye or an outage): it leaves its neighbours' lists. */
    synchronized void offline(String id, long nanos, boolean timed) {
        double[] old = online.remove(id);
        if (old == null) {
            return;
        }
        cell(old).remove(id);
        expected.remove(id);
        pending.remove(id);
        update(near(old[0], old[1], id), nanos, timed);
    }

    /**
     * The gateway lost its connection and comes back before its will is due (the will delay, 15 s): as the
     * protocol intends, it stays in its neighbours' lists meanwhile. It cannot receive a list while away, so a list
     * that changes for it then is not timed (it gets its retained list when it is back).
     */
    synchronized void outage(String id) {
        if (!online.containsKey(id)) {
            return;
        }
        unreachable.add(id);
        Pending p = pending.get(id);
        if (p != null && p.timed()) {
            pending.put(id, new Pending(p.sinceNanos(), false));
        }
    }

    /** The gateway's content ids (catalog order). */
    synchronized void catalog(String id, List<String> contentIds, long nanos, boolean timed) {
        content.put(id, List.copyOf(contentIds.subList(0, Math.min(maxContentIds, contentIds.size()))));
        double[] at = online.get(id);
        if (at != null) {
            update(near(at[0], at[1], id), nanos, timed);
        }
    }

    /** A list arrived at a gateway (canonical form, see {@link #canonical}). */
    synchronized void received(String id, String list, long nanos, long deliveryNanos) {
        listsReceived++;
        held.put(id, list);
        if (list.equals(expected.get(id))) {
            Pending p = pending.remove(id);
            if (p != null && p.timed()) {
                latencies.add(nanos - p.sinceNanos());
                if (deliveryNanos >= 0) {
                    deliveries.add(deliveryNanos);
                }
            }
        }
    }

    /** Of the timed lists, the part from the platform's publish to the arrival; then forgets them. */
    synchronized List<Long> takeDeliveries() {
        List<Long> out = new ArrayList<>(deliveries);
        deliveries.clear();
        return out;
    }

    synchronized int pending() {
        return pending.size();
    }

    synchronized long listsReceived() {
        return listsReceived;
    }

    /** Online gateways holding exactly their expected list. */
    synchronized int right() {
        int n = 0;
        for (String id : online.keySet()) {
            if (expected.containsKey(id) && expected.get(id).equals(held.get(id))) {
                n++;
            }
        }
        return n;
    }

    /** Online gateways that never received any list. */
    synchronized int neverReceived() {
        int n = 0;
        for (String id : online.keySet()) {
            if (!held.containsKey(id)) {
                n++;
            }
        }
        return n;
    }

    synchronized int onlineCount() {
        return online.size();
    }

    synchronized Set<String> onlineIds() {
        return new HashSet<>(online.keySet());
    }

    /** The latency samples so far, then forgets them (one phase's figures). */
    synchronized List<Long> takeLatencies() {
        List<Long> out = new ArrayList<>(latencies);
        latencies.clear();
        return out;
    }

    /** Mean number of sharers in the expected lists of online gateways. */
    synchronized double meanSharers() {
        long sum = 0;
        for (String id : online.keySet()) {
            double[] at = online.get(id);
            sum += Math.min(maxSharers, near(at[0], at[1], id).size());
        }
        return online.isEmpty() ? 0 : (double) sum / online.size();
    }

    private void update(java.util.Collection<String> affected, long nanos, boolean timed) {
        for (String a : affected) {
            if (!online.containsKey(a)) {
                continue;
            }
            String e = listFor(a);
            if (e.equals(expected.get(a))) {
                continue;
            }
            expected.put(a, e);
            if (e.equals(held.get(a))) {
                pending.remove(a);
                continue;
            }
            Pending p = pending.get(a);
            boolean reachable = timed && !unreachable.contains(a);
            if (p == null || !p.timed() && reachable) {
                pending.put(a, new Pending(nanos, reachable));
            }
        }
    }

    /** The expected list: sharers within range, nearest first (ties by id), at most maxSharers. */
    private String listFor(String id) {
        double[] self = online.get(id);
        List<Map.Entry<String, Double>> found = new ArrayList<>();
        for (String other : near(self[0], self[1], id)) {
            double[] p = online.get(other);
            found.add(Map.entry(other, haversineM(self[0], self[1], p[0], p[1])));
        }
        found.sort(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        List<String> ids = new ArrayList<>();
        List<List<String>> contents = new ArrayList<>();
        for (int i = 0; i < Math.min(maxSharers, found.size()); i++) {
            String other = found.get(i).getKey();
            ids.add(other);
            contents.add(content.getOrDefault(other, List.of()));
        }
        return canonical(ids, contents);
    }

    /** One text per list: {@code id:c1,c2|id:...}. */
    static String canonical(List<String> ids, List<List<String>> contentIds) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            b.append(ids.get(i)).append(':').append(String.join(",", contentIds.get(i))).append('|');
        }
        return b.toString();
    }

    /** Online gateways other than {@code self} within range of a place. */
    private List<String> near(double lat, double lon, String self) {
        List<String> out = new ArrayList<>();
        long r = (long) Math.floor(lat / cellLatDeg);
        long c = (long) Math.floor(lon / cellLonDeg);
        for (long dr = -1; dr <= 1; dr++) {
            for (long dc = -1; dc <= 1; dc++) {
                for (String other : cells.getOrDefault(key(r + dr, c + dc), Set.of())) {
                    double[] p = online.get(other);
                    if (!other.equals(self) && haversineM(lat, lon, p[0], p[1]) <= rangeM) {
                        out.add(other);
                    }
                }
            }
        }
        return out;
    }

    private Set<String> cell(double[] at) {
        return cells.getOrDefault(key(at), new HashSet<>());
    }

    private long key(double[] at) {
        return key((long) Math.floor(at[0] / cellLatDeg), (long) Math.floor(at[1] / cellLonDeg));
    }

    private static long key(long row, long col) {
        return row * 4_000_003L + col;
    }

    static double haversineM(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
