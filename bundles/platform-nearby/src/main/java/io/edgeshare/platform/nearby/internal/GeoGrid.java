package io.edgeshare.platform.nearby.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Points (gateways) in cells of about the range size: rows of equal latitude height, each row cut into as many
 * equal longitude cells as keep a cell at least the range wide at the row's pole-ward edge, so a row near a
 * pole is one cell and the antimeridian is just the wrap of a column index. A query visits only the cells a
 * circle can touch and measures exact haversine distance inside them.
 *
 * <p>Insert, move and remove are O(1) amortised (a point is swap-removed from its cell). Not thread-safe: one
 * thread owns it.
 */
public final class GeoGrid {
    static final double EARTH_RADIUS_M = 6_371_000d;

    /** A point found by a query. */
    public record Neighbour(String id, double distanceM) {
    }

    private final double rangeM;
    private final double rowHeightDeg;
    private final int rows;
    private final int[] columnsInRow;
    private final double[] polewardCos; // cosine of each row's pole-ward edge latitude
    private final CellTable<Cell> cells = new CellTable<>();
    private final Map<String, Integer> slots = new HashMap<>();
    private final PointTable points = new PointTable();

    /** @param rangeM the usual query radius; cells are this size (a larger query visits more of them) */
    public GeoGrid(double rangeM) {
        if (!(rangeM > 0 && rangeM <= 1_000_000)) {
            throw new IllegalArgumentException("range must be 0 < m <= 1000 km");
        }
        this.rangeM = rangeM;
        double heightDeg = Math.toDegrees(rangeM / EARTH_RADIUS_M);
        this.rows = (int) Math.ceil(180 / heightDeg);
        this.rowHeightDeg = 180d / rows;
        this.columnsInRow = new int[rows];
        this.polewardCos = new double[rows];
        for (int r = 0; r < rows; r++) {
            double poleward = Math.min(90, Math.max(Math.abs(-90 + r * rowHeightDeg),
                    Math.abs(-90 + (r + 1) * rowHeightDeg)));
            polewardCos[r] = Math.cos(Math.toRadians(poleward));
            double widthM = 2 * Math.PI * EARTH_RADIUS_M * Math.cos(Math.toRadians(poleward));
            columnsInRow[r] = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, Math.floor(widthM / rangeM)));
        }
    }

    public double rangeM() {
        return rangeM;
    }

    public int size() {
        return slots.size();
    }

    public boolean contains(String id) {
        return slots.containsKey(id);
    }

    /** Inserts a point or moves it. */
    public void put(String id, double lat, double lon) {
        checkLocation(lat, lon);
        long cell = cellOf(lat, lon);
        Integer slot = slots.get(id);
        if (slot == null) {
            slot = points.add(id, lat, lon, cell);
            slots.put(id, slot);
            cellFor(cell).add(slot, points);
            return;
        }
        long old = points.cell[slot];
        points.set(slot, lat, lon, cell);
        if (old != cell) {
            removeFromCell(old, slot);
            cellFor(cell).add(slot, points);
        }
    }

    /** @return whether it was there */
    public boolean remove(String id) {
        Integer slot = slots.remove(id);
        if (slot == null) {
            return false;
        }
        removeFromCell(points.cell[slot], slot);
        points.free(slot);
        return true;
    }

    /** Where a point is, {lat, lon}, or null. */
    public double[] location(String id) {
        Integer slot = slots.get(id);
        return slot == null ? null : new double[] { points.lat[slot], points.lon[slot] };
    }

    /** Up to {@code k} points within {@code radiusM} of a place, nearest first (ties by id). */
    public List<Neighbour> within(double lat, double lon, double radiusM, int k) {
        return within(lat, lon, radiusM, k, null);
    }

    /** Like {@link #within(double, double, double, int)} around a stored point, leaving that point out. */
    public List<Neighbour> around(String id, double radiusM, int k) {
        Integer slot = slots.get(id);
        if (slot == null) {
            return List.of();
        }
        return within(points.lat[slot], points.lon[slot], radiusM, k, id);
    }

    private List<Neighbour> within(double lat, double lon, double radiusM, int k, String exclude) {
        checkLocation(lat, lon);
        if (k <= 0 || !(radiusM >= 0)) {
            return List.of();
        }
        double latRad = Math.toRadians(lat);
        double lonRad = Math.toRadians(lon);
        double cosLat = Math.cos(latRad);
        double limit = haversineTerm(radiusM);
        NearestHeap best = new NearestHeap(k, slot -> points.id[slot]);
        double radiusDeg = Math.toDegrees(radiusM / EARTH_RADIUS_M);
        int firstRow = row(Math.max(-90, lat - radiusDeg));
        int lastRow = row(Math.min(90, lat + radiusDeg));
        double cosReach = Math.cos(Math.toRadians(Math.min(90, Math.abs(lat) + radiusDeg)));
        double s = Math.sin(Math.min(Math.PI, radiusM / EARTH_RADIUS_M) / 2);
        for (int r = firstRow; r <= lastRow; r++) {
            int n = columnsInRow[r];
            // the smallest cos(latitude) a point of this row within reach can have (see the class comment)
            double c = Math.min(cosLat, Math.max(polewardCos[r], cosReach));
            boolean wholeRow = c <= 0 || s >= c;
            double halfWidthDeg = wholeRow ? 180 : Math.toDegrees(2 * Math.asin(s / c));
            // the columns the circle's longitude span touches, wrapping at the antimeridian
            double w = 360d / n;
            long first = (long) Math.floor((lon - halfWidthDeg + 180) / w);
            long last = (long) Math.floor((lon + halfWidthDeg + 180) / w);
            int count = wholeRow ? n : (int) Math.min(n, last - first + 1);
            int from = count >= n ? 0 : (int) Math.floorMod(first, (long) n);
            for (int i = 0; i < count; i++) {
                int col = Math.floorMod(from + i, n);
                Cell cell = cells.get(key(r, col));
                if (cell != null) {
                    scan(cell, latRad, lonRad, cosLat, limit, exclude, best);
                }
            }
        }
        double[] terms = new double[best.size()];
        int[] found = new int[best.size()];
        best.drainNearestFirst(terms, found);
        Neighbour[] out = new Neighbour[found.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Neighbour(points.id[found[i]], distance(terms[i]));
        }
        return Arrays.asList(out);
    }

    private void scan(Cell cell, double latRad, double lonRad, double cosLat, double limit, String exclude,
            NearestHeap best) {
        for (int i = 0; i < cell.size; i++) {
            int slot = cell.members[i];
            double h = points.term(slot, latRad, lonRad, cosLat);
            if (h <= limit && (exclude == null || !exclude.equals(points.id[slot]))) {
                best.offer(h, slot);
            }
        }
    }

    /**
     * The gateways whose nearby list may change with {@code change}: every stored point within range of where
     * the changed gateway was and where it is now (so only those lists are recomputed), plus the changed gateway
     * itself when its own position changed. Call it before applying a leave and after applying a join or move;
     * the changed gateway's own entry is handled by kind, so either order gives the same answer.
     */
    public Set<String> affectedBy(NearbyChange change) {
        Set<String> out = new LinkedHashSet<>();
        for (double[] at : new double[][] { change.from(), change.to() }) {
            if (at != null) {
                for (Neighbour n : within(at[0], at[1], rangeM, Integer.MAX_VALUE, change.deviceId())) {
                    out.add(n.id());
                }
            }
        }
        if (change.kind() == NearbyChange.Kind.JOIN || change.kind() == NearbyChange.Kind.MOVE) {
            out.add(change.deviceId());
        }
        return out;
    }

    /** Great-circle distance in metres. */
    public static double haversineM(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** The haversine "a" term for a distance: comparing terms avoids asin/sqrt per candidate. */
    private static double haversineTerm(double distanceM) {
        double s = Math.sin(Math.min(Math.PI, distanceM / EARTH_RADIUS_M) / 2);
        return s * s;
    }

    private static double distance(double term) {
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(term)));
    }

    private Cell cellFor(long key) {
        Cell c = cells.get(key);
        if (c == null) {
            c = new Cell();
            cells.put(key, c);
        }
        return c;
    }

    private void removeFromCell(long key, int slot) {
        Cell c = cells.get(key);
        if (c.remove(slot, points) == 0) {
            cells.remove(key);
        }
    }

    private long cellOf(double lat, double lon) {
        int r = row(lat);
        return key(r, column(r, lon));
    }

    private int row(double lat) {
        return Math.min(rows - 1, (int) Math.floor((lat + 90) / rowHeightDeg));
    }

    private int column(int row, double lon) {
        int n = columnsInRow[row];
        return Math.floorMod((int) Math.floor((lon + 180) / (360d / n)), n);
    }

    private static long key(int row, int col) {
        return ((long) row << 32) | (col & 0xffffffffL);
    }

    private static void checkLocation(double lat, double lon) {
        if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
            throw new IllegalArgumentException("location out of range: " + lat + "," + lon);
        }
    }

    /** The members of one cell; each point remembers its index here so removal is a swap. */
    private static final class Cell {
        int[] members = new int[4];
        int size;

        void add(int slot, PointTable points) {
            if (size == members.length) {
                members = Arrays.copyOf(members, size * 2);
            }
            points.indexInCell[slot] = size;
            members[size++] = slot;
        }

        int remove(int slot, PointTable points) {
            int i = points.indexInCell[slot];
            int last = members[--size];
            members[i] = last;
            points.indexInCell[last] = i;
            return size;
        }
    }

    /** Column storage of the points, slots reused after removal. */
    private static final class PointTable {
        String[] id = new String[1024];
        double[] lat = new double[1024];
        double[] lon = new double[1024];
        double[] latRad = new double[1024];
        double[] lonRad = new double[1024];
        double[] cosLat = new double[1024];
        long[] cell = new long[1024];
        int[] indexInCell = new int[1024];
        int used;
        final List<Integer> freeSlots = new ArrayList<>();

        int add(String name, double la, double lo, long c) {
            int slot;
            if (!freeSlots.isEmpty()) {
                slot = freeSlots.remove(freeSlots.size() - 1);
            } else {
                if (used == id.length) {
                    grow(used * 2);
                }
                slot = used++;
            }
            id[slot] = name;
            set(slot, la, lo, c);
            return slot;
        }

        void set(int slot, double la, double lo, long c) {
            lat[slot] = la;
            lon[slot] = lo;
            latRad[slot] = Math.toRadians(la);
            lonRad[slot] = Math.toRadians(lo);
            cosLat[slot] = Math.cos(latRad[slot]);
            cell[slot] = c;
        }

        void free(int slot) {
            id[slot] = null;
            freeSlots.add(slot);
        }

        double term(int slot, double latRad2, double lonRad2, double cosLat2) {
            double sLat = Math.sin((latRad[slot] - latRad2) / 2);
            double sLon = Math.sin((lonRad[slot] - lonRad2) / 2);
            return sLat * sLat + cosLat[slot] * cosLat2 * sLon * sLon;
        }

        private void grow(int n) {
            id = Arrays.copyOf(id, n);
            lat = Arrays.copyOf(lat, n);
            lon = Arrays.copyOf(lon, n);
            latRad = Arrays.copyOf(latRad, n);
            lonRad = Arrays.copyOf(lonRad, n);
            cosLat = Arrays.copyOf(cosLat, n);
            cell = Arrays.copyOf(cell, n);
            indexInCell = Arrays.copyOf(indexInCell, n);
        }
    }
}
