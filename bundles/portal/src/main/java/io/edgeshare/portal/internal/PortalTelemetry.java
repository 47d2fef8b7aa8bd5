package io.edgeshare.portal.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;

import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;

/** The portal's own figures (telemetry source {@code portal}): refused requests and captive-portal probes. */
@Component(service = { TelemetrySource.class, PortalTelemetry.class })
public final class PortalTelemetry implements TelemetrySource {
    private final AtomicLong badRequests = new AtomicLong();
    private final AtomicLong refusedWrites = new AtomicLong();
    private final AtomicLong captiveProbes = new AtomicLong();

    @Override
    public String name() {
        return "portal";
    }

    @Override
    public TelemetrySnapshot snapshot() {
        return new TelemetrySnapshot(name(), Instant.now(), Map.of("requests.bad", badRequests.get(),
                "requests.refused", refusedWrites.get(), "captive.probes", captiveProbes.get()), Map.of());
    }

    void badRequest() {
        badRequests.incrementAndGet();
    }

    void refusedWrite() {
        refusedWrites.incrementAndGet();
    }

    void captiveProbe() {
        captiveProbes.incrementAndGet();
    }
}
