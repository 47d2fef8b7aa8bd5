package io.edgeshare.platform.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgeshare.platform.nearby.internal.GeoGrid;
import io.edgeshare.platform.store.internal.JdbcFleetStore;
import io.edgeshare.protocol.MessageCodec;
import io.edgeshare.protocol.NearbyList;
import io.edgeshare.protocol.NearbySharerEntry;
import io.edgeshare.testsupport.MosquittoBroker;
import io.edgeshare.testsupport.MqttCallbackAdapter;

/**
 * 300 simulated gateways against a real Mosquitto (receive maximum 4) and the H2 store, with at most 3 lists in
 * flight (the broker's receive maximum less one, though 8 are configured): after a burst
 * of births and after churn every gateway holds exactly the list a brute-force computation gives, and a restarted
 * fleet service keeps the fleet and publishes only lists that changed.
 */
class FleetNearbyIT {
    private static final int GATEWAYS = 300;
    private static final double RANGE_M = 300;
    private static final String PREFIX = "edgeshare/v1/gw/";

    @TempDir
    Path dir;
    private MosquittoBroker broker;
    private JdbcFleetStore store;
    private MqttFleetService fleet;
    private MqttClient sim;
    private MqttClient observer;
    private final MessageCodec codec = new MessageCodec();
    private final Map<String, List<NearbySharerEntry>> received = new ConcurrentHashMap<>();
    private final AtomicInteger liveLists = new AtomicInteger();
    private final Map<String, double[]> at = new HashMap<>();
    private final Map<String, Long> seq = new HashMap<>();
    private final Random random = new Random(9);

    @BeforeEach
    void start() throws Exception {
        broker = MosquittoBroker.start("max_inflight_messages 4\n"); // announced as its receive maximum
        store = FleetFixtures.store(dir);
        fleet = newFleet();
        observer = new MqttClient(broker.uri(), "it-observer", new MemoryPersistence());
        observer.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage m) throws Exception {
                String id = topic.substring(PREFIX.length(), topic.length() - "/nearby".length());
                if (m.getPayload().length > 0) {
                    received.put(id, codec.decode(m.getPayload(), NearbyList.class).sharers());
                }
                if (!m.isRetained()) {
                    liveLists.incrementAndGet();
                }
            }
        });
        observer.connect();
        observer.subscribe(PREFIX + "+/nearby", 1);
        sim = new MqttClient(broker.uri(), "it-simulator", new MemoryPersistence());
        sim.connect();
    }

    private MqttFleetService newFleet() throws Exception {
        return FleetFixtures.fleet(FleetFixtures.fleetConfig(Map.of("nearby.max.in.flight", 8, "nearby.range.m",
                RANGE_M)), store, broker.uri(), "edgeshare-platform-it");
    }

    @AfterEach
    void stop() throws Exception {
        // Mosquitto has been seen (rarely, under load) to drop the simulator with "protocol error" (RC 130) at
        // the end of a test whose checks had passed; a client the broker already dropped is only closed
        for (MqttClient c : new MqttClient[] { sim, observer }) {
            if (c.isConnected()) {
                c.disconnect();
            }
            c.close();
        }
        FleetFixtures.stop(fleet);
        store.close();
        broker.close();
    }

    @Test
    void everyGatewayEndsWithItsListAfterBirthsAndChurn() throws Exception {
        for (int i = 0; i < GATEWAYS; i++) {
            String id = String.format("gw-%03d", i);
            birth(id, 48.85 + random.nextDouble() * 0.015, 2.33 + random.nextDouble() * 0.02);
            catalog(id);
        }
        FleetFixtures.waitUntil(this::everyListIsRight, 120);
        for (int i = 0; i < 40; i++) { // churn: 30 move, 10 leave
            String id = String.format("gw-%03d", random.nextInt(GATEWAYS));
            if (!at.containsKey(id)) {
                continue;
            }
            if (i % 4 == 3) {
                death(id);
            } else {
                birth(id, 48.85 + random.nextDouble() * 0.015, 2.33 + random.nextDouble() * 0.02);
            }
        }
        FleetFixtures.waitUntil(this::everyListIsRight, 120);
    }

    @Test
    void aRestartKeepsTheFleetAndPublishesOnlyWhatChanged() throws Exception {
        for (int i = 0; i < 60; i++) {
            String id = String.format("gw-%03d", i);
            birth(id, 48.85 + random.nextDouble() * 0.004, 2.33 + random.nextDouble() * 0.005);
            catalog(id);
        }
        FleetFixtures.waitUntil(this::everyListIsRight, 60);
        Map<String, List<String>> before = expectedIds();
        FleetFixtures.stop(fleet);
        store.close(); // the platform restarts: the fleet comes back from the H2 file
        int liveBefore = liveLists.get();
        store = FleetFixtures.store(dir);
        fleet = newFleet();
        FleetFixtures.waitUntil(() -> fleet.gateways(io.edgeshare.api.fleet.GatewayQuery.firstPage(1)).total() == 60,
                10);
        birth("gw-000", 48.8545, 2.3325); // one move after the restart
        FleetFixtures.waitUntil(this::everyListIsRight, 60);
        FleetFixtures.waitUntil(() -> fleet.backlog() == 0, 30);
        Map<String, List<String>> after = expectedIds();
        long changed = after.keySet().stream().filter(id -> !after.get(id).equals(before.get(id))).count();
        assertTrue(changed > 0, "the move changed some lists");
        assertEquals(changed, liveLists.get() - liveBefore, "only the lists that changed were published");
    }

    @Test
    void theFleetTelemetryCarriesTheMappedKeys() throws Exception {
        for (int i = 0; i < 10; i++) {
            String id = String.format("gw-%03d", i);
            birth(id, 48.85 + i * 0.0005, 2.33);
            publish(id, "status", "{\"deviceId\":\"" + id + "\",\"msgId\":1,\"seq\":1,\"ts\":"
                    + "\"2026-11-22T00:00:00Z\",\"sources\":{}}", false);
        }
        FleetFixtures.waitUntil(() -> fleet.snapshot().metrics().get("push.latency.seconds.count").longValue() >= 10
                && fleet.snapshot().metrics().get("reports").longValue() == 10, 30);
        FleetFixtures.waitUntil(() -> fleet.snapshot().metrics().get("gateways.online").longValue() == 10, 30);
        var snapshot = fleet.snapshot();
        List<String> keys = new ArrayList<>(List.of("gateways", "gateways.online", "reports",
                "push.latency.seconds.sum", "push.latency.seconds.count"));
        for (String le : List.of("0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10")) {
            keys.add("push.latency.seconds.bucket.le." + le);
        }
        assertEquals(keys.stream().sorted().toList(), snapshot.metrics().keySet().stream().sorted().toList());
        assertEquals(10L, snapshot.metrics().get("gateways").longValue());
        assertEquals(Map.of("state", "connected"), snapshot.labels());
    }

    private boolean everyListIsRight() {
        Map<String, List<String>> expected = expectedIds();
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            List<NearbySharerEntry> got = received.get(e.getKey());
            if (got == null || !got.stream().map(NearbySharerEntry::deviceId).toList().equals(e.getValue())) {
                return false;
            }
            for (NearbySharerEntry s : got) {
                if (!("Shop " + s.deviceId()).equals(s.name())) {
                    return false;
                }
                if (!s.contentIds().equals(List.of("c-" + s.deviceId() + "-1", "c-" + s.deviceId() + "-2"))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Brute force: every online gateway's sharers within range, nearest first, at most 20. */
    private Map<String, List<String>> expectedIds() {
        Map<String, List<String>> out = new HashMap<>();
        for (Map.Entry<String, double[]> self : at.entrySet()) {
            List<Map.Entry<String, Double>> near = new ArrayList<>();
            for (Map.Entry<String, double[]> other : at.entrySet()) {
                double d = GeoGrid.haversineM(self.getValue()[0], self.getValue()[1], other.getValue()[0],
                        other.getValue()[1]);
                if (!other.getKey().equals(self.getKey()) && d <= RANGE_M) {
                    near.add(Map.entry(other.getKey(), d));
                }
            }
            near.sort(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
            out.put(self.getKey(), near.stream().limit(20).map(Map.Entry::getKey).toList());
        }
        return out;
    }

    private void birth(String id, double lat, double lon) throws Exception {
        long s = seq.merge(id, 1L, Long::sum);
        at.put(id, new double[] { lat, lon });
        publish(id, "presence", "{\"state\":\"online\",\"deviceId\":\"" + id + "\",\"seq\":" + s + ",\"location\":"
                + "{\"lat\":" + lat + ",\"lon\":" + lon + "},\"portalUrl\":\"http://127.0.0.1:9/" + id + "/\",\"name\":"
                + "\"Shop " + id + "\"}", true);
    }

    private void death(String id) throws Exception {
        at.remove(id);
        publish(id, "presence", "{\"state\":\"offline\",\"deviceId\":\"" + id + "\",\"seq\":" + seq.get(id) + "}",
                true);
    }

    private void catalog(String id) throws Exception {
        publish(id, "catalog", "{\"deviceId\":\"" + id + "\",\"msgId\":1,\"full\":true,\"rev\":1,\"items\":["
                + "{\"id\":\"c-" + id + "-1\",\"title\":\"a\",\"mediaType\":\"audio/mpeg\",\"size\":1},"
                + "{\"id\":\"c-" + id + "-2\",\"title\":\"b\",\"mediaType\":\"audio/mpeg\",\"size\":1}]}", false);
    }

    private void publish(String id, String kind, String json, boolean retained) throws Exception {
        FleetFixtures.publish(sim, PREFIX + id + "/" + kind, json, retained);
    }

}
