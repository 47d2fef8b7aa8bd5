package io.edgeshare.platform.session;

import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.osgi.annotation.versioning.ConsumerType;

/** Receives the messages of one subscription. */
@ConsumerType
@FunctionalInterface
public interface MessageHandler {
    /**
     * @param done to run once the message is safely handled (stored, or rejected for good); only then does the
     *             broker get its acknowledgement. Run it exactly once, from any thread.
     */
    void message(String topic, MqttMessage message, Runnable done);
}
