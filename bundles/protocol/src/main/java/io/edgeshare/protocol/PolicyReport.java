package io.edgeshare.protocol;

import java.time.Instant;

/**
 * {@code policy/reported}: what the gateway runs and what it did with the last policy document
 * (docs/policy.md). {@code deviceId} is optional (the topic names the gateway).
 */
public record PolicyReport(String deviceId, long runningGeneration, long lastOffered, String lastOutcome,
        String reason, Instant at) {
    public PolicyReport {
        if (deviceId != null) {
            Fields.deviceId("deviceId", deviceId);
        }
        Fields.nonNegative("runningGeneration", runningGeneration);
        Fields.nonNegative("lastOffered", lastOffered);
        Fields.requiredText("lastOutcome", lastOutcome, 32);
        Fields.text("reason", reason, 2048);
    }
}
