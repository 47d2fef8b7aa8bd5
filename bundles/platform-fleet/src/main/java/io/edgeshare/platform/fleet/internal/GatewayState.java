package io.edgeshare.platform.fleet.internal;

import java.time.Instant;
import java.util.Map;

/**
 * What the platform knows about one gateway; replaced whole on every change.
 *
 * @param deviceId     the gateway's id
 * @param online       whether its latest birth has no matching death
 * @param birthSeq     sequence number of the latest birth or death seen
 * @param model        hardware model from its birth
 * @param profile      deployment profile from its birth
 * @param firmware     firmware version from its birth
 * @param latitude     degrees
 * @param longitude    degrees
 * @param portalUrl    where nearby terminals reach it
 * @param capabilities telemetry sources it announced
 * @param lastSeen     last message of any kind
 * @param lastReport   figures of its latest status report, by source
 */
record GatewayState(String deviceId, boolean online, long birthSeq, String model, String profile, String firmware,
        double latitude, double longitude, String portalUrl, java.util.List<String> capabilities, Instant lastSeen,
        Map<String, Object> lastReport) {

    static GatewayState unknown(String deviceId) {
        return new GatewayState(deviceId, false, 0, "", "", "", 0, 0, "", java.util.List.of(), Instant.EPOCH,
                Map.of());
    }
}
