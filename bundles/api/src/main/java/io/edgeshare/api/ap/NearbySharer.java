package io.edgeshare.api.ap;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Another terminal within range that shares content (claims A2, A6, A7).
 *
 * @param deviceId    the sharer's device id
 * @param displayName the name it shows people (its device id when it gave none)
 * @param ssid        the SSID of its access point (empty when unknown)
 * @param baseUrl     HTTP base URL of its content endpoint, reachable through its AP
 * @param distanceM   distance from this terminal in metres ({@code NaN} when unknown, e.g. found by mDNS)
 * @param contentIds  ids of the items it shares
 * @param sources     how it was found: {@link #SOURCE_PLATFORM}, {@link #SOURCE_MDNS}, {@link #SOURCE_RADIO}
 * @param lastSeen    when any source last confirmed it (null when unknown)
 */
public record NearbySharer(String deviceId, String displayName, String ssid, String baseUrl, double distanceM,
        List<String> contentIds, Set<String> sources, Instant lastSeen) {

    /** Pushed by the platform from the fleet's reported locations (claims A5-A7). */
    public static final String SOURCE_PLATFORM = "platform";
    /** Advertised with DNS-SD on the local network ({@code _edgeshare._tcp}). */
    public static final String SOURCE_MDNS = "mdns";
    /** Seen in a Wi-Fi scan through its beacon's sharing marker (claim A2). */
    public static final String SOURCE_RADIO = "radio";

    public NearbySharer {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(baseUrl, "baseUrl");
        displayName = displayName == null || displayName.isBlank() ? deviceId : displayName;
        ssid = ssid == null ? "" : ssid;
        contentIds = List.copyOf(contentIds);
        sources = Set.copyOf(sources);
    }

    /** A sharer pushed by the platform, as before sources were tracked. */
    public NearbySharer(String deviceId, String ssid, String baseUrl, double distanceM, List<String> contentIds) {
        this(deviceId, deviceId, ssid, baseUrl, distanceM, contentIds, Set.of(SOURCE_PLATFORM), null);
    }
}
