package io.edgeshare.platform.nearby.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.edgeshare.platform.nearby.internal.GeoGrid.Neighbour;

class GeoGridTest {
    private final GeoGrid grid = new GeoGrid(300);

    private List<String> ids(List<Neighbour> ns) {
        return ns.stream().map(Neighbour::id).toList();
    }

    @Test
    void findsWhatIsInRangeNearestFirstAndNothingBeyond() {
        grid.put("far", 48.8566, 2.3522 + 0.01);    // ~730 m east
        grid.put("near", 48.8566, 2.3522 + 0.001);  // ~73 m
        grid.put("mid", 48.8566 + 0.002, 2.3522);   // ~222 m
        assertEquals(List.of("near", "mid"), ids(grid.within(48.8566, 2.3522, 300, 10)));
    }

    @Test
    void returnsAtMostK() {
        for (int i = 0; i < 10; i++) {
            grid.put("g" + i, 10 + i * 0.0001, 10);
        }
        assertEquals(List.of("g0", "g1", "g2"), ids(grid.within(10, 10, 300, 3)));
    }

    @Test
    void distancesAreExactHaversine() {
        grid.put("a", 45.0, 5.001);
        Neighbour n = grid.within(45.0, 5.0, 300, 1).get(0);
        assertEquals(GeoGrid.haversineM(45.0, 5.0, 45.0, 5.001), n.distanceM(), 1e-6);
    }

    @Test
    void neighboursAcrossTheAntimeridianAreFound() {
        grid.put("east", 0.0, 179.9995);
        grid.put("west", 0.0, -179.9995);
        List<Neighbour> found = grid.around("east", 300, 10);
        assertEquals(List.of("west"), ids(found));
        assertEquals(111.2, found.get(0).distanceM(), 0.1);
    }

    @Test
    void neighboursAcrossTheNorthPoleAreFound() {
        grid.put("pole", 90.0, 0.0);
        grid.put("a", 89.9995, 0.0);     // ~56 m from the pole
        grid.put("b", 89.9995, 180.0);   // on the other side, ~111 m from a
        grid.put("c", 89.9995, -90.0);
        assertEquals(List.of("pole", "b", "c"), ids(grid.around("a", 300, 10)).stream()
                .sorted(Comparator.comparing(id -> id.equals("pole") ? "" : id)).toList());
        assertEquals(4, grid.within(90, 123, 100, 10).size(), "all four are within 100 m of the pole");
    }

    @Test
    void neighboursNearTheSouthPoleAreFound() {
        grid.put("a", -89.9999, 45.0);
        grid.put("b", -89.9999, -135.0);
        assertEquals(List.of("b"), ids(grid.around("a", 300, 10)));
    }

    @Test
    void aMovedPointIsFoundWhereItIsNow() {
        grid.put("g", 10, 10);
        grid.put("g", 20, 20);
        assertEquals(List.of(), grid.within(10, 10, 300, 10));
        assertEquals(List.of("g"), ids(grid.within(20, 20, 300, 10)));
        assertEquals(1, grid.size());
    }

    @Test
    void aRemovedPointIsGone() {
        grid.put("g", 10, 10);
        grid.put("h", 10, 10.0001);
        assertTrue(grid.remove("g"));
        assertFalse(grid.remove("g"));
        assertEquals(List.of("h"), ids(grid.within(10, 10, 300, 10)));
    }

    @Test
    void aLocationOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> grid.put("g", 91, 0));
        assertThrows(IllegalArgumentException.class, () -> grid.put("g", 0, Double.NaN));
    }

    @Test
    void agreesWithBruteForceOnRandomPoints() {
        Random random = new Random(42);
        Map<String, double[]> all = randomFleet(random, 10_000);
        all.forEach((id, p) -> grid.put(id, p[0], p[1]));
        List<String> keys = new ArrayList<>(all.keySet());
        for (int q = 0; q < 400; q++) {
            double[] at = q % 2 == 0 ? all.get(keys.get(random.nextInt(keys.size()))) : randomPoint(random);
            double radius = 20 + random.nextDouble() * (q % 3 == 0 ? 5000 : 400);
            int k = 1 + random.nextInt(30);
            List<String> expected = bruteForce(all, at[0], at[1], radius, k);
            assertEquals(expected, ids(grid.within(at[0], at[1], radius, k)),
                    "query " + q + " at " + at[0] + "," + at[1] + " r=" + radius + " k=" + k);
        }
    }

    /** Lists of every gateway (its nearest K within range) before and after: only affected ones changed. */
    @Test
    void everyListThatChangesIsInTheAffectedSet() {
        Random random = new Random(7);
        Map<String, double[]> all = new HashMap<>();
        for (int i = 0; i < 600; i++) { // dense: ~0.03 degree square, so lists overlap a lot
            all.put("g" + i, new double[] { 45 + random.nextDouble() * 0.03, 5 + random.nextDouble() * 0.03 });
        }
        all.forEach((id, p) -> grid.put(id, p[0], p[1]));
        for (int step = 0; step < 24; step++) {
            Map<String, List<String>> before = allLists(all);
            String id = "g" + random.nextInt(600);
            while (!all.containsKey(id)) {
                id = "g" + random.nextInt(600);
            }
            Set<String> affected;
            double[] old = all.get(id);
            switch (step % 3) {
                case 0 -> { // move
                    double[] now = { 45 + random.nextDouble() * 0.03, 5 + random.nextDouble() * 0.03 };
                    grid.put(id, now[0], now[1]);
                    all.put(id, now);
                    affected = grid.affectedBy(NearbyChange.move(id, old[0], old[1], now[0], now[1]));
                }
                case 1 -> { // leave, then join again elsewhere next time round
                    affected = grid.affectedBy(NearbyChange.leave(id, old[0], old[1]));
                    grid.remove(id);
                    all.remove(id);
                }
                default -> {
                    String joined = "j" + step;
                    double[] now = { 45 + random.nextDouble() * 0.03, 5 + random.nextDouble() * 0.03 };
                    grid.put(joined, now[0], now[1]);
                    all.put(joined, now);
                    id = joined;
                    affected = grid.affectedBy(NearbyChange.join(joined, now[0], now[1]));
                }
            }
            Map<String, List<String>> after = allLists(all);
            for (Map.Entry<String, List<String>> e : after.entrySet()) {
                if (!e.getValue().equals(before.get(e.getKey()))) {
                    assertTrue(affected.contains(e.getKey()), "step " + step + ": list of " + e.getKey()
                            + " changed when " + id + " changed, but it was not in the affected set");
                }
            }
            assertTrue(affected.size() < all.size() / 5, "affected stays local: " + affected.size());
        }
    }

    private Map<String, List<String>> allLists(Map<String, double[]> all) {
        Map<String, List<String>> lists = new HashMap<>();
        all.forEach((id, p) -> lists.put(id, bruteForce(all, p[0], p[1], 300, 8).stream()
                .filter(other -> !other.equals(id)).limit(7).toList()));
        return lists;
    }

    private static List<String> bruteForce(Map<String, double[]> all, double lat, double lon, double radius, int k) {
        record Hit(String id, double d) {
        }
        List<Hit> hits = new ArrayList<>();
        all.forEach((id, p) -> {
            double d = GeoGrid.haversineM(lat, lon, p[0], p[1]);
            if (d <= radius) {
                hits.add(new Hit(id, d));
            }
        });
        hits.sort(Comparator.comparingDouble(Hit::d).thenComparing(Hit::id));
        return hits.stream().limit(k).map(Hit::id).toList();
    }

    /** Clusters (some at the poles and on the antimeridian) plus points anywhere. */
    private static Map<String, double[]> randomFleet(Random random, int n) {
        double[][] centres = { { 48.85, 2.35 }, { 0, 179.999 }, { -16.5, -179.998 }, { 89.99, 10 }, { -89.99, -60 },
                { 60, -179.99 }, { 1.3, 103.8 } };
        Map<String, double[]> all = new HashMap<>();
        for (int i = 0; i < n; i++) {
            double[] p;
            if (i % 10 == 0) {
                p = randomPoint(random);
            } else {
                double[] c = centres[i % centres.length];
                double lat = Math.max(-90, Math.min(90, c[0] + (random.nextDouble() - 0.5) * 0.04));
                double lon = c[1] + (random.nextDouble() - 0.5) * 0.04;
                lon = lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
                p = new double[] { lat, lon };
            }
            all.put("g" + i, p);
        }
        return all;
    }

    private static double[] randomPoint(Random random) {
        return new double[] { Math.toDegrees(Math.asin(2 * random.nextDouble() - 1)), random.nextDouble() * 360 - 180 };
    }
}
