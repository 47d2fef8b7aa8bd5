package io.edgeshare.platform.session.internal;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Paho's callbacks, handed to the session. */
final class SessionCallback implements MqttCallback {
    private static final Logger LOG = LoggerFactory.getLogger(SessionCallback.class);
    private final MqttPlatformSession session;

    SessionCallback(MqttPlatformSession session) {
        this.session = session;
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        session.onConnected(serverURI);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        session.onMessage(topic, message);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        session.onDisconnected(response.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warn("{}: MQTT error: {}", SessionConfig.PID, exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
