package io.edgeshare.cache.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket per client address, shared by all of that client's downloads; one second of burst. The
 * rate can change at any time (policy), and applies to transfers already running.
 */
final class ClientRateLimiter {

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long bytesPerSecond;

    ClientRateLimiter(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    void setRate(long value) {
        this.bytesPerSecond = value;
    }

    long rate() {
        return bytesPerSecond;
    }

    /** Blocks until {@code client} may send {@code bytes} more. */
    void acquire(String client, long bytes) throws InterruptedException {
        long rate = bytesPerSecond;
        if (rate <= 0) {
            return;
        }
        Bucket b = buckets.computeIfAbsent(client, k -> new Bucket(System.nanoTime(), rate));
        long waitNanos;
        synchronized (b) {
            long now = System.nanoTime();
            b.tokens = Math.min(rate, b.tokens + (double) (now - b.stamp) * rate / 1e9);
            b.stamp = now;
            b.tokens -= bytes;
            waitNanos = b.tokens >= 0 ? 0 : (long) (-b.tokens * 1e9 / rate);
        }
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }

    /** Forgets clients idle for more than a minute. */
    void prune() {
        long cutoff = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().stamp < cutoff;
            }
        });
    }

    private static final class Bucket {
        long stamp;
        double tokens;

        Bucket(long stamp, double tokens) {
            this.stamp = stamp;
            this.tokens = tokens;
        }
    }
}
