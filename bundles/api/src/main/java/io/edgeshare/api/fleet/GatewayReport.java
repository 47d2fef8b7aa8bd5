package io.edgeshare.api.fleet;

import java.time.Instant;

/** A gateway's latest status report: the JSON document as it arrived. */
public record GatewayReport(String deviceId, Instant receivedAt, String document) {
}
