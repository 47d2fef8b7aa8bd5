package io.edgeshare.uplink.internal;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.protocol.Topics;

/**
 * What the parts of the uplink share about the current connection: its settings, topics, MQTT client and
 * birth sequence number. Written only on the uplink's thread; {@link #client} is also read by telemetry.
 */
final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    Settings config;
    Topics topics;
    volatile MqttAsyncClient client;
    long birthSeq;

    boolean isUp() {
        MqttAsyncClient c = client;
        return c != null && c.isConnected();
    }

    String deviceId() {
        return config.deviceId();
    }

    /** Presence, policy state and command answers: sent now or not at all (not queued in the outbox). */
    void publishDirect(String topic, byte[] body, boolean retained, MqttProperties props) {
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) {
            return;
        }
        try {
            MqttProperties p = props == null ? new MqttProperties() : props;
            p.setContentType("application/json");
            c.publish(topic, new MqttMessage(body, 1, retained, p));
        } catch (MqttException e) {
            LOG.warn("edgeshare.uplink: publish to {} failed: {}", topic, e.getMessage());
        }
    }
}
