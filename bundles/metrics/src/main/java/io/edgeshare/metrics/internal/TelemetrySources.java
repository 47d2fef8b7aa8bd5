package io.edgeshare.metrics.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;

/** Takes one snapshot of each source, by name, skipping a source that fails (it must not fail the whole answer). */
final class TelemetrySources {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetrySources.class);

    private TelemetrySources() {
    }

    static List<TelemetrySnapshot> snapshots(List<TelemetrySource> sources) {
        List<TelemetrySnapshot> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TelemetrySource s : sources) {
            try {
                TelemetrySnapshot snap = s.snapshot();
                if (snap != null && seen.add(snap.source())) {
                    out.add(snap);
                }
            } catch (RuntimeException e) {
                LOG.warn("edgeshare.metrics: telemetry source {} failed: {}", safeName(s), e.toString());
            }
        }
        out.sort(Comparator.comparing(TelemetrySnapshot::source));
        return out;
    }

    private static String safeName(TelemetrySource s) {
        try {
            return s.name();
        } catch (RuntimeException e) {
            return s.getClass().getName();
        }
    }
}
