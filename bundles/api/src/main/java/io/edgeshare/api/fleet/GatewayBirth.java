package io.edgeshare.api.fleet;

import java.time.Instant;
import java.util.List;

import io.edgeshare.api.ap.GeoLocation;

/**
 * A gateway's birth as published on its presence topic.
 *
 * @param location  where it is, or {@code null} when it announced no usable location
 * @param portalUrl where nearby terminals reach it
 */
public record GatewayBirth(String deviceId, long seq, Instant at, String model, String profile, String firmware,
        GeoLocation location, String portalUrl, List<String> capabilities) {
    public GatewayBirth {
        capabilities = List.copyOf(capabilities);
    }
}
