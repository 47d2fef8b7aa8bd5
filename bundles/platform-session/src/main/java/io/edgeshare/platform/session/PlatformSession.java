package io.edgeshare.platform.session;

import java.util.concurrent.CompletionStage;

import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.osgi.annotation.versioning.ProviderType;

/**
 * This platform node's broker session. It connects in the background (reconnect delays jittered from the first
 * one on), subscribes again after every connect, and acknowledges a QoS 1 message to the broker only once every
 * handler it reached said it is done, so a node that dies before its store write loses nothing the broker
 * delivered to it (the broker redelivers, or another node adopts the dead node's session).
 */
@ProviderType
public interface PlatformSession {
    /** The shared-subscription group of the platform's nodes: {@code $share/edgeshare-platform/...}. */
    String SHARE_GROUP = "edgeshare-platform";

    /** This node's id ({@code node.id}). */
    String nodeId();

    /** Whether several nodes share the fleet ({@code cluster.shared}): shared subscriptions, a leader. */
    boolean clustered();

    boolean connected();

    /** Whether this node leads: always when not clustered; else the online node with the lowest id. */
    boolean leader();

    /** How many QoS 1 publishes the broker accepts unacknowledged (its receive maximum; 65535 if unsaid). */
    int receiveMaximum();

    /**
     * Subscribes at QoS 1, now if connected and after every reconnect.
     *
     * @param filter  a topic filter without any {@code $share} prefix
     * @param shared  whether the nodes split these messages between them (only when {@link #clustered()})
     * @param handler called on the session's delivery thread; must not block on a publish
     */
    Subscription subscribe(String filter, boolean shared, MessageHandler handler);

    /**
     * Publishes at QoS 1. Publishes beyond the broker's receive maximum wait in a queue (never refused for
     * flow control); the stage completes at the broker's acknowledgement, or fails when not connected.
     */
    CompletionStage<Void> publish(String topic, byte[] payload, boolean retained, MqttProperties properties);

    void addListener(SessionListener listener);

    void removeListener(SessionListener listener);
}
