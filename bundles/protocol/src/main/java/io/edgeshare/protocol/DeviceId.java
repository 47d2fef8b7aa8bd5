package io.edgeshare.protocol;

import java.util.regex.Pattern;

/**
 * The device-id rule (contract K1): 1 to 64 characters of {@code A-Z a-z 0-9 . _ -}, so an id is always a
 * single MQTT topic level without wildcards, a safe file name and a safe log token. {@value #PLATFORM} is the
 * platform's own broker user and never a device.
 */
public final class DeviceId {
    /** The rule as a regular expression, for documentation and configuration checks. */
    public static final String RULE = "[A-Za-z0-9._-]{1,64}";
    /** The platform's MQTT user name; a gateway may not be called this. */
    public static final String PLATFORM = "edgeshare-platform";

    private static final Pattern PATTERN = Pattern.compile(RULE);

    private DeviceId() {
    }

    /** Whether {@code id} is a valid device id. */
    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches() && !id.equals(PLATFORM);
    }

    /**
     * Returns {@code id} when it is valid.
     *
     * @throws IllegalArgumentException naming the rule otherwise (for configuration and records we build)
     */
    public static String require(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("device id must match " + RULE + " and not be '" + PLATFORM
                    + "', got " + Fields.quote(id));
        }
        return id;
    }

    /** The MQTT client id of a gateway: {@code gw-{deviceId}}. */
    public static String clientId(String deviceId) {
        return "gw-" + require(deviceId);
    }
}
