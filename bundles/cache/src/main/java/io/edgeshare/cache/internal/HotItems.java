package io.edgeshare.cache.internal;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small, frequently served items kept in memory (off-heap), keyed by SHA-256 so an entry can never be
 * stale. Saves the open/read/close per request that dominates serving small files; bounded by a byte budget
 * with least-recently-used replacement. A budget of 0 disables it.
 */
final class HotItems {

    static final int MAX_ITEM = 256 * 1024;

    private final LinkedHashMap<String, ByteBuffer> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long budget;
    private long used;

    HotItems(long budgetBytes) {
        this.budget = budgetBytes;
    }

    synchronized void setBudget(long bytes) {
        budget = bytes;
        trim();
    }

    /** A read-only view positioned at 0, or null. */
    synchronized ByteBuffer get(String sha) {
        ByteBuffer b = entries.get(sha);
        return b == null ? null : b.duplicate();
    }

    synchronized void put(String sha, ByteBuffer content) {
        if (content.capacity() > MAX_ITEM || content.capacity() > budget || entries.containsKey(sha)) {
            return;
        }
        entries.put(sha, content.asReadOnlyBuffer());
        used += content.capacity();
        trim();
    }

    synchronized long usedBytes() {
        return used;
    }

    private void trim() {
        var it = entries.entrySet().iterator();
        while (used > budget && it.hasNext()) {
            Map.Entry<String, ByteBuffer> e = it.next();
            used -= e.getValue().capacity();
            it.remove();
        }
    }
}
