package io.edgeshare.uplink.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.edgeshare.api.ap.NearbySharers;
import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;

/** The uplink's own figures, for the portal and the platform. */
final class UplinkTelemetry implements TelemetrySource {
    private final Counters counters;
    private final DiskOutbox outbox;
    private final NearbySharers nearby;
    private final Connection connection;

    UplinkTelemetry(Counters counters, DiskOutbox outbox, NearbySharers nearby, Connection connection) {
        this.counters = counters;
        this.outbox = outbox;
        this.nearby = nearby;
        this.connection = connection;
    }

    @Override
    public String name() {
        return "uplink";
    }

    @Override
    public TelemetrySnapshot snapshot() {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("connects", counters.connects.get());
        m.put("reports.queued", counters.reportsQueued.get());
        m.put("reports.delivered", counters.reportsDelivered.get());
        m.put("outbox.messages", outbox.size());
        m.put("outbox.bytes", outbox.bytes());
        m.put("outbox.dropped", outbox.dropped());
        m.put("outbox.expired", outbox.expired());
        m.put("messages.rejected", counters.rejectedMessages.get());
        m.put("messages.oversized", counters.oversizedMessages.get());
        m.put("commands", counters.commands.get());
        m.put("commands.refused", counters.commandsRefused.get());
        m.put("nearby.sharers", nearby.sharers().size());
        return new TelemetrySnapshot("uplink", Instant.now(), m,
                Map.of("state", connection.isUp() ? "connected" : "disconnected"));
    }
}
