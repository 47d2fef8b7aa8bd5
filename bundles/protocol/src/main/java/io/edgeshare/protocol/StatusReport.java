package io.edgeshare.protocol;

import java.time.Instant;
import java.util.Map;

/**
 * {@code status}: the periodic report, one entry per telemetry source. {@code bytesSaved} sums the sources'
 * {@code bytes.saved}; readers drop duplicates by ({@code deviceId}, {@code msgId}).
 */
public record StatusReport(String deviceId, long msgId, long seq, Instant ts, Location location, long bytesSaved,
        Map<String, SourceReport> sources) {
    public StatusReport {
        Fields.deviceId("deviceId", deviceId);
        Fields.nonNegative("msgId", msgId);
        Fields.nonNegative("seq", seq);
        Fields.required("ts", ts);
        Fields.nonNegative("bytesSaved", bytesSaved);
        sources = Fields.map("sources", Fields.required("sources", sources), 64);
    }
}
