package io.edgeshare.platform.session.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains a dead node's persistent session: connects with its client id (clean start off, session expiry 0 so
 * the session ends when we leave), unsubscribes its filters so the broker routes nothing more to it, handles what
 * it still holds (messages it had in flight, and what a broker like Mosquitto queued for it as a shared-subscription
 * member while it was offline) through this node's handlers, acknowledging each once handled, then disconnects.
 */
final class Adopter {
    private static final Logger LOG = LoggerFactory.getLogger(Adopter.class);
    private static final long QUIET_MS = 1_500;
    private static final long MAX_MS = 120_000;

    private Adopter() {
    }

    /** @return how many messages the dead node's session held (0 when the broker had no session for it) */
    static int drain(BrokerLogin login, String clientId, List<String> wireFilters, Handlers handlers,
            int maxPacketBytes) throws MqttException, InterruptedException {
        MqttAsyncClient client = new MqttAsyncClient(login.uri(), clientId, new MemoryPersistence());
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger pending = new AtomicInteger();
        AtomicLong lastAt = new AtomicLong(System.nanoTime());
        client.setManualAcks(true);
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                lastAt.set(System.nanoTime());
                handled.incrementAndGet();
                pending.incrementAndGet();
                handlers.deliver(topic, m, () -> {
                    try {
                        if (m.getQos() > 0) {
                            client.messageArrivedComplete(m.getId(), m.getQos());
                        }
                    } catch (MqttException e) {
                        LOG.debug("edgeshare.platform.session: adopted ack failed: {}", e.getMessage());
                    }
                    pending.decrementAndGet();
                    lastAt.set(System.nanoTime());
                });
            }

            @Override
            public void disconnected(MqttDisconnectResponse r) {
                LOG.info("edgeshare.platform.session: adopted session {} ended by the broker: {}", clientId,
                        r.getReasonString());
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(0L); // the session ends when this adoption disconnects
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        o.setReceiveMaximum(MqttPlatformSession.RECEIVE_MAXIMUM);
        o.setMaximumPacketSize((long) maxPacketBytes);
        if (!login.username().isEmpty()) {
            o.setUserName(login.username());
            o.setPassword(login.password().getBytes(StandardCharsets.UTF_8));
        }
        try {
            IMqttToken connected = client.connect(o);
            connected.waitForCompletion(15_000);
            if (connected.getSessionPresent()) {
                client.unsubscribe(wireFilters.toArray(String[]::new)).waitForCompletion(15_000);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_MS);
                while (client.isConnected() && System.nanoTime() < deadline && (pending.get() > 0
                        || System.nanoTime() - lastAt.get() < TimeUnit.MILLISECONDS.toNanos(QUIET_MS))) {
                    Thread.sleep(50); // waiting for the broker to hand over what the session holds
                }
            }
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
            return handled.get();
        } finally {
            client.close(true);
        }
    }
}
