package io.edgeshare.uplink.internal;

import java.net.URI;

import io.edgeshare.api.ap.GeoLocation;
import io.edgeshare.protocol.DeviceId;
import io.edgeshare.protocol.Topics;

/**
 * The uplink's configuration, parsed and checked once. Two settings are equal when they would produce the
 * same MQTT connection apart from the report interval, which changes without a reconnect.
 */
record Settings(String deviceId, String model, String profile, GeoLocation location, String portalUrl,
        String displayName, String brokerUri, String username, String password, String topicPrefix, int willDelayS,
        int keepaliveS, int reconnectMinMs, int reconnectMaxMs, String tlsCaFile, String tlsCertFile, String tlsKeyFile,
        int outboxWindow, long statusTtlS, int maxPacketBytes, int reportIntervalS) {

    static Settings from(IdentityConfig id, UplinkConfig link) {
        if (link.broker_uri().isBlank() || link.broker_uri().contains("${")) {
            throw new IllegalArgumentException("PID edgeshare.uplink key broker.uri is empty or unresolved ('"
                    + link.broker_uri() + "'); set the platform's broker, e.g. tcp://platform.example.net:1883");
        }
        URI broker = URI.create(link.broker_uri().trim());
        String scheme = String.valueOf(broker.getScheme());
        if (!scheme.equals("tcp") && !scheme.equals("ssl") && !scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("broker.uri must be tcp://, ssl://, ws:// or wss://, got '"
                    + link.broker_uri() + "'");
        }
        String deviceId = id.device_id().trim();
        if (!deviceId.isEmpty()) {
            DeviceId.require(deviceId); // K1; empty means "not enrolled", reported by the uplink
        }
        new Topics(link.topic_prefix()); // refuses wildcards and empty levels
        String portal = id.portal_url().trim();
        if (!portal.isEmpty() && !portal.startsWith("http://") && !portal.startsWith("https://")) {
            throw new IllegalArgumentException("portal.url must be an http:// or https:// URL, got '" + portal + "'");
        }
        if (link.max_packet_bytes() < 16_384) {
            throw new IllegalArgumentException("max.packet.bytes must be at least 16384, got "
                    + link.max_packet_bytes());
        }
        return new Settings(deviceId, id.model(), id.profile(),
                new GeoLocation(id.location_latitude(), id.location_longitude()), portal, id.display_name().strip(),
                broker.toString(), link.username(), link.password(), link.topic_prefix(),
                Math.max(0, link.will_delay_s()), Math.max(5, link.keepalive_s()),
                Math.max(100, link.reconnect_min_ms()), Math.max(link.reconnect_min_ms(), link.reconnect_max_ms()),
                link.tls_ca_file(), link.tls_cert_file(), link.tls_key_file(), Math.max(1, link.outbox_window()),
                Math.max(10, link.status_ttl_s()), link.max_packet_bytes(), Math.max(1, link.report_interval_s()));
    }

    /** Whether {@code other} can be applied without reconnecting. */
    boolean sameConnection(Settings other) {
        // everything but the report interval must match
        return equals(new Settings(other.deviceId, other.model, other.profile, other.location, other.portalUrl,
                other.displayName, other.brokerUri, other.username, other.password, other.topicPrefix, other.willDelayS,
                other.keepaliveS, other.reconnectMinMs, other.reconnectMaxMs, other.tlsCaFile, other.tlsCertFile,
                other.tlsKeyFile, other.outboxWindow, other.statusTtlS, other.maxPacketBytes, reportIntervalS));
    }

    @Override
    public String toString() {
        // never log the password
        return "Settings[device=" + deviceId + ", broker=" + brokerUri + ", user=" + username + "]";
    }
}
