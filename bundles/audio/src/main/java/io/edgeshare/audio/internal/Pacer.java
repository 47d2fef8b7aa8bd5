package io.edgeshare.audio.internal;

import java.util.concurrent.locks.LockSupport;

/** Monotonic time and waiting, so pacing can be tested with a simulated clock. */
public interface Pacer {

    long nanoTime();

    /** Waits until {@link #nanoTime()} reaches {@code deadline}. */
    void sleepUntil(long deadline) throws InterruptedException;

    /** The machine's monotonic clock. */
    Pacer SYSTEM = new Pacer() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadline) throws InterruptedException {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    };
}
