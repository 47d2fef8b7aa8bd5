package io.edgeshare.api.telemetry;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A bundle that has something to report to the platform registers one of these; the uplink polls every
 * registered source at each reporting interval.
 */
@ConsumerType
public interface TelemetrySource {

    /** Short stable name of the source, e.g. {@code cache}, {@code audio}, {@code ap}. */
    String name();

    /** A cheap, non-blocking snapshot of the current figures. */
    TelemetrySnapshot snapshot();
}
