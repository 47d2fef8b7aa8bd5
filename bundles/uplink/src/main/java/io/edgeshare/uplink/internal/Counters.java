package io.edgeshare.uplink.internal;

import java.util.concurrent.atomic.AtomicLong;

/** The uplink's event counts, reported by {@link UplinkTelemetry}. */
final class Counters {
    final AtomicLong connects = new AtomicLong();
    final AtomicLong reportsQueued = new AtomicLong();
    final AtomicLong reportsDelivered = new AtomicLong();
    final AtomicLong rejectedMessages = new AtomicLong();
    final AtomicLong oversizedMessages = new AtomicLong();
    final AtomicLong commands = new AtomicLong();
    final AtomicLong commandsRefused = new AtomicLong();
    final AtomicLong outboxErrors = new AtomicLong();
}
