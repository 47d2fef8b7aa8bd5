package io.edgeshare.api.ap;

import java.util.List;
import java.util.Objects;

/**
 * Another terminal within range that shares content (claims A2, A6, A7).
 *
 * @param deviceId   the sharer's device id
 * @param ssid       the SSID of its access point
 * @param baseUrl    HTTP base URL of its content endpoint, reachable through its AP
 * @param distanceM  distance from this terminal in metres
 * @param contentIds ids of the items it shares
 */
public record NearbySharer(String deviceId, String ssid, String baseUrl, double distanceM, List<String> contentIds) {
    public NearbySharer {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(baseUrl, "baseUrl");
        contentIds = List.copyOf(contentIds);
    }
}
