package io.edgeshare.platform.fleet.internal;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Asks gateways for a full content list ({@code cmd/rebirth}) at a bounded rate: at most {@code perSecond} asks
 * a second for the whole fleet (a restarted platform may lack many catalogs) and one a minute per gateway.
 */
final class RebirthAsks {
    private static final long PER_GATEWAY_NANOS = 60_000_000_000L;

    private final Consumer<String> send;
    private final LongSupplier nanos;
    private final int perSecond;
    private final Set<String> waiting = new LinkedHashSet<>(); // guarded by this
    private final Map<String, Long> lastAsked = new HashMap<>(); // guarded by this

    RebirthAsks(Consumer<String> send, LongSupplier nanos, int perSecond) {
        this.send = send;
        this.nanos = nanos;
        this.perSecond = perSecond;
    }

    synchronized void ask(String deviceId) {
        Long last = lastAsked.get(deviceId);
        if (last == null || nanos.getAsLong() - last >= PER_GATEWAY_NANOS) {
            waiting.add(deviceId);
        }
    }

    /** Called once a second: sends the next asks. */
    void tick() {
        java.util.List<String> now = new java.util.ArrayList<>();
        synchronized (this) {
            var it = waiting.iterator();
            while (it.hasNext() && now.size() < perSecond) {
                String id = it.next();
                it.remove();
                lastAsked.put(id, nanos.getAsLong());
                now.add(id);
            }
        }
        now.forEach(send);
    }
}
