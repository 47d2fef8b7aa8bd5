package io.edgeshare.uplink.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.edgeshare.api.cache.ContentItem;

/**
 * Turns the shared-content list into what the platform needs to keep its copy right: the whole list once per
 * connection, then only what was added, changed or removed (claim A5 without sending the full list each time).
 */
final class CatalogReporter {
    /** One catalog message: full list, or changes since {@code baseRevision}. */
    record Change(boolean full, long revision, long baseRevision, List<ContentItem> upserted, List<String> removed) {
        boolean isEmpty() {
            return !full && upserted.isEmpty() && removed.isEmpty();
        }
    }

    private Map<String, ContentItem> sent;
    private long sentRevision = -1;

    /** Forget what was sent: the next change is a full list (after a (re)connect or rebirth). */
    void reset() {
        sent = null;
        sentRevision = -1;
    }

    /** What to send for {@code current} at {@code revision}; empty when nothing changed. */
    Change next(List<ContentItem> current, long revision) {
        Map<String, ContentItem> now = new LinkedHashMap<>();
        for (ContentItem item : current) {
            now.put(item.id(), item);
        }
        Change change;
        if (sent == null) {
            change = new Change(true, revision, -1, List.copyOf(now.values()), List.of());
        } else if (revision == sentRevision) {
            return new Change(false, revision, sentRevision, List.of(), List.of());
        } else {
            List<ContentItem> upserted = new ArrayList<>();
            for (ContentItem item : now.values()) {
                if (!item.equals(sent.get(item.id()))) {
                    upserted.add(item);
                }
            }
            List<String> removed = new ArrayList<>();
            for (String id : sent.keySet()) {
                if (!now.containsKey(id)) {
                    removed.add(id);
                }
            }
            change = new Change(false, revision, sentRevision, upserted, removed);
        }
        sent = now;
        sentRevision = revision;
        return change;
    }
}
