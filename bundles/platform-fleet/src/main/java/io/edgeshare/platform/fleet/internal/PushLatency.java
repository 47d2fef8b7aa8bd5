package io.edgeshare.platform.fleet.internal;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A cumulative histogram of push latency in seconds (Prometheus style buckets), from the change that made a list
 * to the broker's acknowledgement of that list.
 */
final class PushLatency {
    static final double[] BUCKETS = { 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
    private static final String[] NAMES = { "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10" };
    private static final String KEY = "push.latency.seconds";

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length);
    private final DoubleAdder sum = new DoubleAdder();
    private final LongAdder count = new LongAdder();

    void record(long nanos) {
        double seconds = Math.max(0, nanos) / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                buckets.incrementAndGet(i);
            }
        }
        sum.add(seconds);
        count.increment();
    }

    long count() {
        return count.sum();
    }

    /** Adds {@code push.latency.seconds.bucket.le.*}, {@code .sum} and {@code .count} to {@code metrics}. */
    void addTo(Map<String, Number> metrics) {
        for (int i = 0; i < BUCKETS.length; i++) {
            metrics.put(KEY + ".bucket.le." + NAMES[i], buckets.get(i));
        }
        metrics.put(KEY + ".sum", sum.sum());
        metrics.put(KEY + ".count", count.sum());
    }
}
