package io.edgeshare.api.fleet;

import java.time.Instant;
import java.util.List;

/** A gateway's stored content list at revision {@code rev}, items ordered by id. */
public record Catalog(String deviceId, long rev, Instant updatedAt, List<CatalogItem> items) {
    public Catalog {
        items = List.copyOf(items);
    }
}
