package io.edgeshare.cache.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a response body that delivers nothing for too long: the JDK HTTP client has no read timeout for
 * streamed bodies, and a stalled origin must not hold a flight (and its waiting clients) forever.
 */
final class Stall implements AutoCloseable {

    private final InputStream in;
    private final long limitNanos;
    private final ScheduledFuture<?> check;
    private volatile long last = System.nanoTime();
    private volatile boolean fired;

    Stall(ScheduledExecutorService scheduler, InputStream in, int seconds) {
        this.in = in;
        this.limitNanos = TimeUnit.SECONDS.toNanos(seconds);
        long period = Math.max(100, TimeUnit.SECONDS.toMillis(seconds) / 4);
        this.check = scheduler.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    void progress() {
        last = System.nanoTime();
    }

    boolean fired() {
        return fired;
    }

    private void check() {
        if (!fired && System.nanoTime() - last > limitNanos) {
            fired = true;
            try {
                in.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
    }

    @Override
    public void close() {
        check.cancel(false);
    }
}
