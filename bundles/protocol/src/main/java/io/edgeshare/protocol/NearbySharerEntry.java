package io.edgeshare.protocol;

import java.util.List;

/**
 * One sharer in a {@link NearbyList}; {@code distanceM} is null when unknown, {@code name} (the sharer's display
 * name) is optional and null when the platform does not know one.
 */
public record NearbySharerEntry(String deviceId, String ssid, String baseUrl, Double distanceM,
        List<String> contentIds, String name) {
    public NearbySharerEntry {
        Fields.deviceId("sharer deviceId", deviceId);
        Fields.text("name", name, Fields.MAX_TEXT);
        Fields.text("ssid", ssid, 32 * 4);
        Fields.requiredText("baseUrl", baseUrl, Fields.MAX_URL);
        Fields.httpUrl("baseUrl", baseUrl);
        if (distanceM != null && !(distanceM >= 0 && distanceM < 1e8)) {
            throw new Fields.InvalidField("distanceM must be a distance in metres, got " + distanceM);
        }
        contentIds = Fields.texts("contentIds", contentIds == null ? List.of() : contentIds, Fields.MAX_ITEMS,
                Fields.MAX_CONTENT_ID);
    }

    /** An entry without a display name. */
    public NearbySharerEntry(String deviceId, String ssid, String baseUrl, Double distanceM,
            List<String> contentIds) {
        this(deviceId, ssid, baseUrl, distanceM, contentIds, null);
    }
}
