package io.edgeshare.platform.fleet.internal;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import io.edgeshare.api.fleet.FleetStore;
import io.edgeshare.platform.session.internal.MqttPlatformSession;
import io.edgeshare.platform.session.internal.SessionConfig;
import io.edgeshare.platform.store.internal.JdbcFleetStore;
import io.edgeshare.platform.store.internal.StoreConfig;

/** The real parts a fleet test runs against: an embedded H2 store in a file, typed configurations. */
final class FleetFixtures {
    private FleetFixtures() {
    }

    /** The platform's store on an H2 file under {@code dir} (the same database a restart finds again). */
    static JdbcFleetStore store(Path dir) {
        return new JdbcFleetStore(config(StoreConfig.class, Map.of("url", "jdbc:h2:file:"
                + dir.resolve("fleet").toAbsolutePath() + ";WRITE_DELAY=0")), null);
    }

    private static final Map<MqttFleetService, MqttPlatformSession> SESSIONS = new java.util.IdentityHashMap<>();

    /** The node's broker session as the platform configures it (PID edgeshare.platform.session). */
    static MqttPlatformSession session(Map<String, Object> values) throws MqttException {
        return new MqttPlatformSession(config(SessionConfig.class, values), values, null, null);
    }

    /** A fleet service on its own session to {@code brokerUri}; stop it with {@link #stop}. */
    static synchronized MqttFleetService fleet(FleetConfig config, FleetStore store, String brokerUri,
            String clientId) throws MqttException {
        MqttPlatformSession session = session(Map.of("broker.uri", brokerUri, "client.id", clientId));
        MqttFleetService fleet = new MqttFleetService(config, store, session);
        SESSIONS.put(fleet, session);
        return fleet;
    }

    static synchronized void stop(MqttFleetService fleet) {
        fleet.deactivate();
        MqttPlatformSession session = SESSIONS.remove(fleet);
        if (session != null) {
            session.close();
        }
    }

    static FleetConfig fleetConfig(Map<String, Object> values) {
        return config(FleetConfig.class, values);
    }

    @SuppressWarnings("unchecked")
    static <T> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (p, m, args) -> {
            String key = m.getName().replace("_", ".");
            return values.containsKey(key) ? values.get(key) : m.getDefaultValue();
        });
    }

    /**
     * A QoS 1 publish from a simulated gateway. Paho's synchronous publish returns at the PUBACK but frees its
     * in-flight slot a moment later, so under a small receive maximum the next one may be refused (32202): try
     * again, a bounded number of times.
     */
    static void publish(MqttClient client, String topic, String json, boolean retained) throws Exception {
        for (int attempt = 0;; attempt++) {
            try {
                client.publish(topic, new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, retained, null));
                return;
            } catch (MqttException e) {
                if (!client.isConnected() && attempt < 5) {
                    // likely: Paho's count of unacknowledged publishes briefly runs past a small broker receive
                    // maximum (the fleet tests give Mosquitto 4); Mosquitto then drops the sender with "protocol
                    // error". The simulated gateway reconnects and sends again: births and catalogs are idempotent
                    reconnect(client);
                    continue;
                }
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT || attempt == 1000) {
                    throw e;
                }
                Thread.sleep(1);
            }
        }
    }

    /** Connects again once Paho has finished dropping the old connection (it refuses with 32102 until then). */
    private static void reconnect(MqttClient client) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                client.connect();
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_CLIENT_DISCONNECTING
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    static void waitUntil(BooleanSupplier condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }
}
