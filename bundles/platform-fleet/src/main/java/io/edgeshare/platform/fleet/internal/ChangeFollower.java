package io.edgeshare.platform.fleet.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.fleet.Catalog;
import io.edgeshare.api.fleet.CatalogItem;
import io.edgeshare.api.fleet.FleetChange;
import io.edgeshare.api.fleet.FleetStore;
import io.edgeshare.api.fleet.FleetStoreException;

/**
 * With two nodes, catalogs are ingested by whichever node the broker gave the message (shared subscription):
 * each node follows the store's change feed and applies what the other wrote to its own nearby matcher, so
 * either can lead. Births and deaths need no feed: every node reads presence itself (it carries the display
 * name, which the store does not keep). Runs on the ingest thread.
 */
final class ChangeFollower {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);
    private static final int PAGE = 1000;

    private final FleetStore store;
    private final NearbyMatcher matcher;
    private final LongSupplier nanos;
    private final Map<String, Long> catalogRevs = new HashMap<>();
    private long version = -1;

    ChangeFollower(FleetStore store, NearbyMatcher matcher, LongSupplier nanos) {
        this.store = store;
        this.matcher = matcher;
        this.nanos = nanos;
    }

    /** Where the feed starts: call before the matcher is loaded from the store. */
    void startAt(long storeVersion) {
        version = storeVersion;
    }

    /** Applies the changes made since the last call. @return how many changes were read */
    int follow() {
        if (version < 0) {
            return 0;
        }
        int read = 0;
        try {
            List<FleetChange> changes;
            do {
                changes = store.changesSince(version, PAGE);
                for (FleetChange c : changes) {
                    apply(c);
                    version = c.version();
                }
                read += changes.size();
            } while (changes.size() == PAGE);
        } catch (FleetStoreException e) {
            LOG.debug("edgeshare.platform.fleet: change feed not read: {}", e.getMessage());
        }
        return read;
    }

    private void apply(FleetChange c) {
        long origin = nanos.getAsLong();
        if (c.removed()) {
            catalogRevs.remove(c.deviceId());
            matcher.decommissioned(c.deviceId(), origin);
            return;
        }
        long rev = c.gateway().catalogRev();
        Long known = catalogRevs.put(c.deviceId(), rev);
        if (rev >= 0 && (known == null || known != rev)) {
            List<String> ids = store.catalog(c.deviceId()).map(Catalog::items).orElse(List.of()).stream()
                    .map(CatalogItem::id).toList();
            matcher.catalog(c.deviceId(), ids, origin); // unchanged content changes nothing
        }
    }
}
