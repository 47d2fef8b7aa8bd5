package io.edgeshare.uplink.internal;

/** The gateway's topics under the shared prefix; see docs/mqtt.md. */
record Topics(String prefix, String deviceId) {

    String presence() {
        return prefix + "/gw/" + deviceId + "/presence";
    }

    String status() {
        return prefix + "/gw/" + deviceId + "/status";
    }
}
