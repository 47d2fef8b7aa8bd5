package io.edgeshare.platform.fleet.internal;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.protocol.NearbySharerEntry;

/**
 * Delivers each gateway's latest nearby list within the broker's flow control: offers coalesce into one pending
 * list per gateway, at most {@code maxInFlight} publishes wait for the broker at once, a failed publish is retried
 * after a jittered pause, and a list counts as sent only once the broker acknowledged it. A list equal to the one
 * the gateway already holds is not published.
 *
 * <p>Thread-safe; publishes are started outside the lock.
 */
final class NearbyPusher {
    private static final Logger LOG = LoggerFactory.getLogger(NearbyPusher.class);

    /** Publishes one gateway's list retained; the stage completes when the broker acknowledged it. */
    interface ListPublisher {
        CompletionStage<Void> publish(String deviceId, List<NearbySharerEntry> sharers);
    }

    private record Pending(List<NearbySharerEntry> sharers, long originNanos) {
    }

    private final ListPublisher publisher;
    private final ScheduledExecutorService retries;
    private final PushLatency latency;
    private final LongSupplier nanos;
    private final IntSupplier maxInFlight;
    private final Map<String, List<NearbySharerEntry>> acked = new ConcurrentHashMap<>();
    private final Map<String, Pending> latest = new HashMap<>(); // guarded by this
    private final Map<String, Pending> inFlight = new HashMap<>(); // guarded by this
    private final Set<String> ready = new LinkedHashSet<>(); // guarded by this: pending and not in flight
    private boolean held; // guarded by this
    private int failuresInARow; // guarded by this
    private long published; // guarded by this
    private long failed; // guarded by this

    /**
     * @param maxInFlight how many publishes may wait for the broker at once (asked before each publish: it follows
     *                    the receive maximum the broker announced)
     * @param held        whether to wait for {@link #release()} before publishing (while what was sent is re-read) */
    NearbyPusher(ListPublisher publisher, ScheduledExecutorService retries, PushLatency latency, LongSupplier nanos,
            IntSupplier maxInFlight, boolean held) {
        this.publisher = publisher;
        this.retries = retries;
        this.latency = latency;
        this.nanos = nanos;
        this.maxInFlight = maxInFlight;
        this.held = held;
    }

    /**
     * The list a gateway should now hold, computed from a change observed at {@code originNanos}. Replaces any
     * list still waiting for it.
     */
    void offer(String deviceId, List<NearbySharerEntry> sharers, long originNanos) {
        synchronized (this) {
            Pending old = latest.get(deviceId);
            if (!inFlight.containsKey(deviceId) && sharers.equals(acked.get(deviceId))) {
                latest.remove(deviceId); // back to what the gateway holds
                ready.remove(deviceId);
                return;
            }
            long origin = old == null ? originNanos : Math.min(old.originNanos(), originNanos);
            latest.put(deviceId, new Pending(List.copyOf(sharers), origin));
            if (!inFlight.containsKey(deviceId)) {
                ready.add(deviceId);
            }
        }
        pump();
    }

    /** What the broker holds for a gateway (its retained list, re-read at start). */
    void remember(String deviceId, List<NearbySharerEntry> sharers) {
        synchronized (this) {
            acked.put(deviceId, List.copyOf(sharers));
            Pending p = latest.get(deviceId);
            if (p != null && !inFlight.containsKey(deviceId) && p.sharers().equals(sharers)) {
                latest.remove(deviceId);
                ready.remove(deviceId);
            }
        }
    }

    /** Starts publishing after a hold: lists equal to what the gateways already hold are dropped. */
    void release() {
        synchronized (this) {
            held = false;
            for (Iterator<Map.Entry<String, Pending>> it = latest.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, Pending> e = it.next();
                if (e.getValue().sharers().equals(acked.get(e.getKey()))) {
                    it.remove();
                    ready.remove(e.getKey());
                }
            }
        }
        pump();
    }

    /** Stops publishing (this node no longer leads): lists keep coalescing until {@link #release()}. */
    synchronized void hold() {
        held = true;
    }

    /** A decommissioned gateway: nothing more is sent to it. */
    synchronized void forget(String deviceId) {
        latest.remove(deviceId);
        ready.remove(deviceId);
        acked.remove(deviceId);
    }

    /** The list the broker last acknowledged for a gateway. */
    Optional<List<NearbySharerEntry>> sent(String deviceId) {
        return Optional.ofNullable(acked.get(deviceId));
    }

    synchronized int waiting() {
        return latest.size() + inFlight.size();
    }

    synchronized long published() {
        return published;
    }

    synchronized long failed() {
        return failed;
    }

    private void pump() {
        while (true) {
            String id;
            Pending p;
            synchronized (this) {
                if (held || ready.isEmpty() || inFlight.size() >= Math.max(1, maxInFlight.getAsInt())) {
                    return;
                }
                Iterator<String> it = ready.iterator();
                id = it.next();
                it.remove();
                p = latest.remove(id);
                if (p == null) {
                    continue;
                }
                inFlight.put(id, p);
            }
            CompletionStage<Void> done;
            try {
                done = publisher.publish(id, p.sharers());
            } catch (RuntimeException e) {
                done = java.util.concurrent.CompletableFuture.failedFuture(e);
            }
            String deviceId = id;
            done.whenComplete((v, error) -> {
                if (error == null) {
                    acknowledged(deviceId, p);
                } else {
                    failed(deviceId, p, error);
                }
            });
        }
    }

    private void acknowledged(String deviceId, Pending p) {
        synchronized (this) {
            inFlight.remove(deviceId);
            acked.put(deviceId, p.sharers());
            published++;
            failuresInARow = 0;
            Pending next = latest.get(deviceId);
            if (next != null) {
                if (next.sharers().equals(p.sharers())) {
                    latest.remove(deviceId);
                } else {
                    ready.add(deviceId);
                }
            }
        }
        latency.record(nanos.getAsLong() - p.originNanos());
        pump();
    }

    private void failed(String deviceId, Pending p, Throwable error) {
        long delayMs;
        synchronized (this) {
            inFlight.remove(deviceId);
            failed++;
            latest.merge(deviceId, p, (newer, old) -> new Pending(newer.sharers(),
                    Math.min(newer.originNanos(), old.originNanos())));
            failuresInARow++;
            // full jitter, growing while the broker keeps refusing (disconnected, or its queue is full)
            long cap = Math.min(5_000, 50L << Math.min(7, failuresInARow));
            delayMs = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        }
        LOG.debug("edgeshare.platform.fleet: nearby list for {} not acknowledged, retrying in {} ms: {}", deviceId,
                delayMs, error.getMessage());
        try {
            retries.schedule(() -> {
                synchronized (this) {
                    if (latest.containsKey(deviceId) && !inFlight.containsKey(deviceId)) {
                        ready.add(deviceId);
                    }
                }
                pump();
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("edgeshare.platform.fleet: stopping, no retry for {}", deviceId);
        }
    }
}
