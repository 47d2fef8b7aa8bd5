package io.edgeshare.platform.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgeshare.platform.store.internal.JdbcFleetStore;

import io.edgeshare.testsupport.MosquittoBroker;
import io.edgeshare.testsupport.MqttCallbackAdapter;

/**
 * The fleet service against a real Mosquitto, with a client playing the gateway: catalog revisions are honoured
 * (a delta from another revision is dropped and a full list is asked for with {@code cmd/rebirth} on a K2
 * response topic), and a gateway cannot speak for another.
 */
class FleetCatalogResyncIT {
    private MosquittoBroker broker;
    private MqttFleetService fleet;
    private JdbcFleetStore store;
    @TempDir
    Path dir;
    private MqttClient gateway;
    private final BlockingQueue<MqttMessage> commands = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> commandTopics = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        broker = MosquittoBroker.start();
        store = FleetFixtures.store(dir);
        fleet = FleetFixtures.fleet(config(broker.uri()), store, broker.uri(), "edgeshare-platform-fleet");
        gateway = new MqttClient(broker.uri(), "gw-gw-a", new MemoryPersistence());
        gateway.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                commandTopics.add(topic);
                commands.add(m);
            }
        });
        gateway.connect();
        gateway.subscribe("edgeshare/v1/gw/gw-a/cmd/+", 1);
        publish("presence", "{\"state\":\"online\",\"deviceId\":\"gw-a\",\"seq\":1,\"ts\":\"2026-11-22T00:00:00Z\","
                + "\"location\":{\"lat\":48.8611,\"lon\":2.3359},\"portalUrl\":\"http://127.0.0.1:9/\"}", true);
        waitUntil(() -> fleet.gateway("gw-a").isPresent()); // the fleet is subscribed
    }

    @AfterEach
    void stop() throws Exception {
        gateway.disconnect();
        gateway.close();
        FleetFixtures.stop(fleet);
        store.close();
        broker.close();
    }

    @Test
    void aDeltaFromAnotherRevisionAsksForAFullList() throws Exception {
        publish("catalog", "{\"deviceId\":\"gw-a\",\"msgId\":1,\"full\":true,\"rev\":37,\"items\":[]}", false);
        publish("catalog", "{\"deviceId\":\"gw-a\",\"msgId\":2,\"full\":false,\"rev\":39,\"baseRev\":38,"
                + "\"upserted\":[],\"removed\":[]}", false);
        MqttMessage request = commands.poll(10, TimeUnit.SECONDS);
        assertNotNull(request, "the platform asks for a full list");
        assertEquals("edgeshare/v1/gw/gw-a/cmd/rebirth", commandTopics.poll());
        assertEquals("edgeshare/v1/gw/gw-a/res/platform-fleet", request.getProperties().getResponseTopic());
        assertNotNull(request.getProperties().getCorrelationData());
        assertEquals(1, fleet.catalogResyncs());
    }

    @Test
    void aDeltaFromTheHeldRevisionAsksNothing() throws Exception {
        publish("catalog", "{\"deviceId\":\"gw-a\",\"msgId\":1,\"full\":true,\"rev\":37,\"items\":[]}", false);
        publish("catalog", "{\"deviceId\":\"gw-a\",\"msgId\":2,\"full\":false,\"rev\":38,\"baseRev\":37,"
                + "\"upserted\":[],\"removed\":[]}", false);
        // a marker after both: once it is rejected, both catalogs were handled (one thread, in order)
        publish("status", "not json", false);
        waitUntil(() -> fleet.rejectedMessages() == 1);
        assertNull(commands.poll(1, TimeUnit.SECONDS));
        assertEquals(0, fleet.catalogResyncs());
    }

    @Test
    void aGatewayCannotReportForAnother() throws Exception {
        publish("status", "{\"deviceId\":\"gw-b\",\"msgId\":1,\"seq\":1,\"ts\":\"2026-11-22T00:00:00Z\","
                + "\"bytesSaved\":1000000000000000,\"sources\":{}}", false);
        waitUntil(() -> fleet.rejectedMessages() == 1);
        assertTrue(fleet.gateway("gw-b").isEmpty());
        assertTrue(fleet.lastReport("gw-a").isEmpty());
    }

    private void publish(String kind, String json, boolean retained) throws Exception {
        gateway.publish("edgeshare/v1/gw/gw-a/" + kind,
                new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, retained, null));
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(50);
        }
    }

    private static FleetConfig config(String brokerUri) {
        Map<String, Object> values = Map.of("broker.uri", brokerUri, "client.id", "edgeshare-platform-fleet-it");
        return (FleetConfig) Proxy.newProxyInstance(FleetConfig.class.getClassLoader(),
                new Class<?>[] { FleetConfig.class }, (p, m, args) -> {
                    String key = m.getName().replace("_", ".");
                    return values.containsKey(key) ? values.get(key) : m.getDefaultValue();
                });
    }
}
