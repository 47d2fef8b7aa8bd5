package io.edgeshare.api.telemetry;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Figures of one telemetry source at one instant.
 *
 * @param source  the source's name
 * @param at      when the figures were taken
 * @param metrics numeric figures (counters and gauges) by name, e.g. {@code bytes.served}
 * @param labels  textual state by name, e.g. {@code state=connected}
 */
public record TelemetrySnapshot(String source, Instant at, Map<String, Number> metrics, Map<String, String> labels) {
    public TelemetrySnapshot {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(at, "at");
        metrics = Map.copyOf(metrics);
        labels = Map.copyOf(labels);
    }
}
