package io.edgeshare.ap.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (polling), never for a fixed time. */
final class Deadline {
    private Deadline() {
    }

    static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
            Object lock = new Object();
            synchronized (lock) {
                lock.wait(20);
            }
        }
        return condition.getAsBoolean();
    }
}
