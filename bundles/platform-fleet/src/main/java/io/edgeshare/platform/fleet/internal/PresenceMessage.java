package io.edgeshare.platform.fleet.internal;

import java.util.List;

/** A gateway's birth or death, parsed from its presence topic (see docs/mqtt.md). */
record PresenceMessage(String deviceId, String state, long seq, String model, String profile, String firmware,
        double latitude, double longitude, String portalUrl, List<String> capabilities) {
}
