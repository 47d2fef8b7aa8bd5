package io.edgeshare.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code presence}: a birth ({@code online}, published retained on every connection) or a death
 * ({@code offline}: the will or a clean goodbye). Only a birth carries the descriptive fields; a death's are
 * null, and {@code ts} may be. A death counts only when its {@code seq} is at least the latest birth's.
 * {@code name}, the display name people see (optional), is what the platform puts in nearby lists.
 */
public record Presence(String state, String deviceId, long seq, Instant ts, String model, String profile,
        String firmware, Location location, String portalUrl, Map<String, String> bundles,
        List<String> capabilities, String name) {
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";

    public Presence {
        if (!ONLINE.equals(state) && !OFFLINE.equals(state)) {
            throw new Fields.InvalidField("state must be online or offline, got " + Fields.quote(state));
        }
        Fields.deviceId("deviceId", deviceId);
        Fields.nonNegative("seq", seq);
        // ts is informative (the sequence number orders births and deaths), so it may be absent
        Fields.text("model", model, Fields.MAX_TEXT);
        Fields.text("profile", profile, Fields.MAX_TEXT);
        Fields.text("firmware", firmware, Fields.MAX_TEXT);
        Fields.httpUrl("portalUrl", portalUrl);
        bundles = Fields.map("bundles", bundles, 1024);
        if (bundles != null) {
            bundles.values().forEach(v -> Fields.text("bundles version", v, Fields.MAX_TEXT));
        }
        capabilities = Fields.texts("capabilities", capabilities, 256, Fields.MAX_TEXT);
        Fields.text("name", name, Fields.MAX_TEXT);
    }

    public static Presence birth(String deviceId, long seq, Instant ts, String model, String profile,
            String firmware, Location location, String portalUrl, Map<String, String> bundles,
            List<String> capabilities) {
        return birth(deviceId, seq, ts, model, profile, firmware, location, portalUrl, bundles, capabilities, null);
    }

    /** A birth with the gateway's display name ({@code null} or blank for none). */
    public static Presence birth(String deviceId, long seq, Instant ts, String model, String profile,
            String firmware, Location location, String portalUrl, Map<String, String> bundles,
            List<String> capabilities, String name) {
        return new Presence(ONLINE, deviceId, seq, ts, model, profile, firmware, location, portalUrl, bundles,
                capabilities, name == null || name.isBlank() ? null : name);
    }

    public static Presence death(String deviceId, long seq, Instant ts) {
        return new Presence(OFFLINE, deviceId, seq, ts, null, null, null, null, null, null, null, null);
    }

    public boolean online() {
        return ONLINE.equals(state);
    }
}
