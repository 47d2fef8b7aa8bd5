package io.edgeshare.metrics.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;

import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;

/** This bundle's own figures (telemetry source {@code metrics}): scrapes, refused scrapes, unready answers. */
@Component(service = { TelemetrySource.class, EndpointTelemetry.class })
public final class EndpointTelemetry implements TelemetrySource {
    private final AtomicLong scrapes = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unready = new AtomicLong();

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public TelemetrySnapshot snapshot() {
        return new TelemetrySnapshot(name(), Instant.now(),
                Map.of("scrapes", scrapes.get(), "refused", refused.get(), "health.unready", unready.get()), Map.of());
    }

    void scraped() {
        scrapes.incrementAndGet();
    }

    void refused() {
        refused.incrementAndGet();
    }

    void unready() {
        unready.incrementAndGet();
    }
}
