package io.edgeshare.uplink.internal;

/** The gateway's topics under the shared prefix; see docs/mqtt.md. */
record Topics(String prefix, String deviceId) {

    /** {@code prefix/gw/deviceId}: every topic of this gateway starts here. */
    String base() {
        return prefix + "/gw/" + deviceId;
    }

    String presence() {
        return base() + "/presence";
    }

    String status() {
        return base() + "/status";
    }

    String catalog() {
        return base() + "/catalog";
    }
}
