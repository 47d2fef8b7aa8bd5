package io.edgeshare.audio.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.edgeshare.audio.internal.fifo.FifoRing;

/**
 * The listeners of one channel: admits them against the cap, wakes the ones waiting at the live edge when
 * the pacer publishes a chunk (in batches, on a small fan-out pool), and drops the ones that fell out of
 * the ring or stopped reading. It holds nothing per listener but its entry in a set (and, while it waits,
 * in a queue): the audio itself stays in the ring, shared by all.
 */
final class ListenerHub {

    private static final int FANOUT_BATCH = 128;

    private final FifoRing ring;
    private final Admission admission;
    private final SendQueueProbe probe;
    private final LongSupplier bufferNanos;
    private final Supplier<Integer> bitrateKbps;
    private final ExecutorService fanout;
    private final Set<ChannelListener> listeners = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<ChannelListener> waiting = new ConcurrentLinkedQueue<>();
    private final Object admitLock = new Object();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final LongAdder bytesSent = new LongAdder();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private long lastProbeNanos;

    ListenerHub(String channelId, FifoRing ring, Admission admission, SendQueueProbe probe, LongSupplier bufferNanos,
            Supplier<Integer> bitrateKbps) {
        this.ring = ring;
        this.admission = admission;
        this.probe = probe;
        this.bufferNanos = bufferNanos;
        this.bitrateKbps = bitrateKbps;
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.fanout = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "audio-fanout-" + channelId);
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Admits and attaches a listener atomically against the cap, or says why not. */
    Admission.Decision attach(ChannelListener listener) {
        synchronized (admitLock) {
            Admission.Decision d = admission.admit(listener.ticket(), listeners.size());
            if (!d.admitted()) {
                rejected.incrementAndGet();
                return d;
            }
            listeners.add(listener);
        }
        served.incrementAndGet();
        return Admission.Decision.ADMIT_OK;
    }

    void detach(ChannelListener listener) {
        if (listeners.remove(listener)) {
            waiting.remove(listener);
        }
    }

    /** The listener caught up with the live edge: wake it when the next chunk is published. */
    void await(ChannelListener listener) {
        waiting.add(listener);
        // a chunk may have been published between the listener's check and now
        long p = listener.position();
        if (ring.ready() && (p < 0 || p <= ring.head()) && waiting.remove(listener)) {
            submit(List.of(listener));
        }
    }

    /** A chunk was published: wake the waiting listeners, drop lagging and (once a second) stalled ones. */
    void published() {
        if (!ring.ready()) {
            return;
        }
        wakeWaiting();
        long now = System.nanoTime();
        if (now - lastProbeNanos >= 1_000_000_000L && !listeners.isEmpty() && probing.compareAndSet(false, true)) {
            lastProbeNanos = now;
            try {
                fanout.execute(this::dropStalled);
            } catch (RejectedExecutionException e) {
                probing.set(false);
            }
        }
        long oldest = ring.oldest();
        for (ChannelListener l : listeners) {
            long p = l.position();
            if (p >= 0 && p < oldest && l.drop("fell more than " + bufferNanos.getAsLong() / 1_000_000
                    + " ms behind the live edge")) {
                dropped.incrementAndGet();
            }
        }
    }

    /**
     * Drops listeners whose unread audio in the kernel's send queue exceeds the buffer length: they stopped
     * reading, even though writes to them still succeed.
     */
    private void dropStalled() {
        try {
            int kbps = bitrateKbps.get();
            if (kbps <= 0) {
                return;
            }
            long buffer = bufferNanos.getAsLong();
            long limit = kbps * 125L * buffer / 1_000_000_000L;
            Map<Long, Integer> queued = probe.queuedBytes();
            for (ChannelListener l : listeners) {
                Integer q = queued.get(l.connectionKey());
                if (q != null && q > limit && l.drop("stopped reading: " + q + " bytes (more than "
                        + buffer / 1_000_000 + " ms of audio) wait unread in the send queue")) {
                    dropped.incrementAndGet();
                }
            }
        } finally {
            probing.set(false);
        }
    }

    private void wakeWaiting() {
        List<ChannelListener> batch = new ArrayList<>(FANOUT_BATCH);
        ChannelListener l;
        while ((l = waiting.poll()) != null) {
            batch.add(l);
            if (batch.size() == FANOUT_BATCH) {
                submit(batch);
                batch = new ArrayList<>(FANOUT_BATCH);
            }
        }
        if (!batch.isEmpty()) {
            submit(batch);
        }
    }

    private void submit(List<ChannelListener> batch) {
        try {
            fanout.execute(() -> {
                for (ChannelListener x : batch) {
                    x.wake();
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /** Drops every listener {@code gone} accepts (not counted as a drop for lagging). */
    void dropIf(java.util.function.Predicate<ChannelListener> gone, String reason) {
        for (ChannelListener l : listeners) {
            if (gone.test(l)) {
                l.drop(reason);
            }
        }
    }

    /** Disconnects everyone and stops the fan-out pool. */
    void close(String reason) {
        for (ChannelListener l : List.copyOf(listeners)) {
            l.drop(reason);
        }
        fanout.shutdownNow();
    }

    void countBytes(long n) {
        bytesSent.add(n);
    }

    int size() {
        return listeners.size();
    }

    /** Listeners on the lean route (see {@link ChannelListener#direct()}). */
    int directCount() {
        int n = 0;
        for (ChannelListener l : listeners) {
            if (l.direct()) {
                n++;
            }
        }
        return n;
    }

    /** Lowest and highest chunk any listener will send next, {-1, -1} when none has started. */
    long[] positionSpread() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (ChannelListener l : listeners) {
            long x = l.position();
            if (x >= 0) {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }
        return min == Long.MAX_VALUE ? new long[] { -1, -1 } : new long[] { min, max };
    }

    long bytesSent() {
        return bytesSent.sum();
    }

    long served() {
        return served.get();
    }

    long dropped() {
        return dropped.get();
    }

    long rejected() {
        return rejected.get();
    }
}
