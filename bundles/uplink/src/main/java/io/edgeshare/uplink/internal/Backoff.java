package io.edgeshare.uplink.internal;

import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect delay with full jitter: a fleet that lost its broker spreads its reconnects over
 * the whole window instead of returning in lockstep.
 */
final class Backoff {
    private final long minMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private int attempt;

    Backoff(long minMs, long maxMs, DoubleSupplier random) {
        if (minMs <= 0 || maxMs < minMs) {
            throw new IllegalArgumentException("need 0 < min <= max, got " + minMs + ", " + maxMs);
        }
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.random = random;
    }

    /** Delay before the next attempt; grows with each call until {@link #reset()}. */
    long nextDelayMs() {
        // the first window is already [min, 2 min]: a fleet that lost its broker must not retry in lockstep
        long ceiling = Math.min(maxMs, minMs << Math.min(attempt + 1, 30));
        attempt++;
        return minMs + (long) (random.getAsDouble() * (ceiling - minMs));
    }

    void reset() {
        attempt = 0;
    }
}
