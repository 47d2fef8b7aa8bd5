package io.edgeshare.api.fleet;

import java.time.Instant;
import java.util.List;

/**
 * A full content list ({@code full}, {@code items} in {@code upserted}) or a delta from {@code baseRev} to
 * {@code rev}.
 */
public record CatalogUpdate(String deviceId, boolean full, long rev, long baseRev, List<CatalogItem> upserted,
        List<String> removed, Instant at) {
    public CatalogUpdate {
        upserted = List.copyOf(upserted);
        removed = List.copyOf(removed);
    }

    public static CatalogUpdate full(String deviceId, long rev, List<CatalogItem> items, Instant at) {
        return new CatalogUpdate(deviceId, true, rev, -1, items, List.of(), at);
    }

    public static CatalogUpdate delta(String deviceId, long baseRev, long rev, List<CatalogItem> upserted,
            List<String> removed, Instant at) {
        return new CatalogUpdate(deviceId, false, rev, baseRev, upserted, removed, at);
    }
}
