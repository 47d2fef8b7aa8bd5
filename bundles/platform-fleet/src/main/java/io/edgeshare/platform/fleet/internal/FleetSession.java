package io.edgeshare.platform.fleet.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's broker session: connects in the background and reconnects with full jitter from the first retry
 * on (a platform that lost its broker must not come back in lockstep with its gateways), subscribes on every
 * connect, and publishes with completion stages that finish at the broker's acknowledgement.
 */
final class FleetSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetSession.class);

    /** What the session delivers. */
    interface Listener {
        void message(String topic, MqttMessage message);

        /** Subscribed (again) after a connect. */
        void subscribed();
    }

    /** Connection settings parsed once; a change of any of them means a new session. */
    record Settings(String brokerUri, String clientId, String username, String password, int maxPacketBytes,
            long reconnectMinMs, long reconnectMaxMs) {
        static Settings of(FleetConfig c) {
            return new Settings(c.broker_uri(), c.client_id(), c.username(), c.password(),
                    Math.max(16_384, c.max_packet_bytes()), Math.max(10, c.reconnect_min_ms()),
                    Math.max(Math.max(10, c.reconnect_min_ms()), c.reconnect_max_ms()));
        }

        /** The configuration's session settings with the broker and login {@link BrokerLogin} chose. */
        static Settings of(FleetConfig c, BrokerLogin login) {
            Settings s = of(c);
            return new Settings(login.uri(), s.clientId(), login.username(), login.password(), s.maxPacketBytes(),
                    s.reconnectMinMs(), s.reconnectMaxMs());
        }
    }

    private final Settings settings;
    private final MqttAsyncClient client;
    private final MqttSubscription[] subscriptions;
    private final Listener listener;
    private final Thread connector;
    private final Object wake = new Object();
    private volatile boolean closed;
    private volatile int receiveMaximum = 65_535;

    FleetSession(Settings settings, MqttSubscription[] subscriptions, Listener listener) throws MqttException {
        this.settings = settings;
        this.subscriptions = subscriptions;
        this.listener = listener;
        this.client = new MqttAsyncClient(settings.brokerUri(), settings.clientId(), new MemoryPersistence());
        client.setCallback(new Callback());
        this.connector = new Thread(this::connectLoop, "edgeshare-fleet-connect");
        connector.setDaemon(true);
    }

    void start() {
        connector.start();
    }

    Settings settings() {
        return settings;
    }

    /** The broker's receive maximum: how many QoS 1 publishes it accepts unacknowledged (65535 if unsaid). */
    int receiveMaximum() {
        return receiveMaximum;
    }

    boolean connected() {
        return client.isConnected();
    }

    CompletionStage<Void> publish(String topic, byte[] body, boolean retained, MqttProperties props) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.publish(topic, new MqttMessage(body, 1, retained, props), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e); // e.g. not connected, or the broker's receive maximum reached
        }
        return done;
    }

    private MqttConnectionOptions options() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false); // Paho's first retry is a fixed 1 s: this loop jitters every one
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        o.setMaximumPacketSize((long) settings.maxPacketBytes());
        if (!settings.username().isEmpty()) {
            o.setUserName(settings.username());
            o.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
        }
        return o;
    }

    /** Connects at once, and after every loss or failure waits a jittered, growing delay (the first one too). */
    private void connectLoop() {
        long cap = settings.reconnectMinMs();
        boolean first = true;
        while (!closed) {
            try {
                if (client.isConnected()) {
                    synchronized (wake) {
                        if (client.isConnected() && !closed) {
                            wake.wait(1000); // a loss wakes us sooner
                        }
                    }
                    continue;
                }
                if (!first) {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(settings.reconnectMinMs() / 2, cap + 1));
                    cap = Math.min(cap * 2, settings.reconnectMaxMs());
                }
                first = false;
                IMqttToken connected = client.connect(options());
                connected.waitForCompletion(15_000);
                Integer announced = connected.getResponseProperties() == null ? null
                        : connected.getResponseProperties().getReceiveMaximum();
                receiveMaximum = announced == null ? 65_535 : announced;
                cap = settings.reconnectMinMs();
            } catch (InterruptedException e) {
                return;
            } catch (MqttException e) {
                LOG.debug("edgeshare.platform.fleet: broker not reachable: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        connector.interrupt();
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(3000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("edgeshare.platform.fleet: close: {}", e.getMessage());
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            try {
                client.subscribe(subscriptions, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        LOG.info("edgeshare.platform.fleet: connected to {}", serverURI);
                        listener.subscribed();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        LOG.error("edgeshare.platform.fleet: subscribe failed: {}", e.getMessage());
                    }
                }, new MqttProperties());
            } catch (MqttException e) {
                LOG.error("edgeshare.platform.fleet: subscribe failed: {}", e.getMessage());
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            listener.message(topic, message);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("edgeshare.platform.fleet: lost the broker: {}", response.getReasonString());
            synchronized (wake) {
                wake.notifyAll(); // the connect loop waits a jittered delay, then reconnects
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("edgeshare.platform.fleet: MQTT error: {}", exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
