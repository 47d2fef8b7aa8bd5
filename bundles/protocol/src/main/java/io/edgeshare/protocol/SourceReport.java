package io.edgeshare.protocol;

import java.time.Instant;
import java.util.Map;

/** One telemetry source's figures in a {@link StatusReport}. */
public record SourceReport(Instant at, Map<String, Number> metrics, Map<String, String> labels) {
    public SourceReport {
        metrics = Fields.map("metrics", Fields.required("metrics", metrics), 1024);
        labels = labels == null ? null : Fields.map("labels", labels, 256);
        if (labels != null) {
            labels.values().forEach(v -> Fields.text("label", v, Fields.MAX_TEXT));
        }
    }
}
