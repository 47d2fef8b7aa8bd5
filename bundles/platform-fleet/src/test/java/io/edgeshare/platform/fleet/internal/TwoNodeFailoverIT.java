package io.edgeshare.platform.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.edgeshare.api.fleet.GatewayQuery;
import io.edgeshare.platform.store.internal.JdbcFleetStore;
import io.edgeshare.platform.store.internal.LocalPostgres;
import io.edgeshare.platform.store.internal.StoreConfig;
import io.edgeshare.testsupport.MosquittoBroker;
import io.edgeshare.testsupport.MqttCallbackAdapter;

/**
 * Two platform nodes as an operator runs them: one Mosquitto, one PostgreSQL, two node JVMs with
 * {@code cluster.shared = true}. Simulated gateways (real MQTT 5 clients) publish QoS 1 status reports while
 * the leading node is killed with SIGKILL; every report the broker acknowledged ends up in the store, the other
 * node takes the lead, and nearby lists still reach gateways born after the kill.
 */
class TwoNodeFailoverIT {
    private static final String PREFIX = "edgeshare/v1/gw/";
    private static final int CLIENTS = 6;
    private static final int REPORTS_EACH = 150;
    private static final int KILL_AFTER = 250;

    private final List<Process> nodes = new ArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(Process::destroyForcibly);
        for (Process p : nodes) {
            p.waitFor();
        }
        output.stream().filter(l -> l.contains("LEADER") || l.contains("drain") || l.contains("leads")
                || l.contains("Exception")).forEach(System.out::println); // what the nodes did, in the report
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void aKilledNodeLosesNoAcknowledgedReportAndTheOtherLeads() throws Exception {
        Optional<Path> bin = LocalPostgres.binaries();
        Assumptions.assumeTrue(bin.isPresent(), "PostgreSQL binaries (initdb, pg_ctl) not installed");
        LocalPostgres postgres = LocalPostgres.start(bin.get());
        closing.add(postgres);
        String url = postgres.createDatabase();
        MosquittoBroker broker = MosquittoBroker.start("max_queued_messages 100000\n");
        closing.add(broker);
        JdbcFleetStore store = new JdbcFleetStore(FleetFixtures.config(StoreConfig.class, Map.of("url", url,
                "username", LocalPostgres.USER, "password", LocalPostgres.PASSWORD)), null);
        closing.add(store::close);

        Map<String, Boolean> roster = new ConcurrentHashMap<>();
        MqttClient watcher = new MqttClient(broker.uri(), "it-watcher", new MemoryPersistence());
        watcher.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                JsonObject e = JsonParser.parseString(new String(m.getPayload(), StandardCharsets.UTF_8))
                        .getAsJsonObject();
                roster.put(e.get("node").getAsString(), e.get("online").getAsBoolean());
            }
        });
        watcher.connect();
        closing.add(watcher::disconnect);
        watcher.subscribe("edgeshare/v1/platform/nodes/+", 1);

        Process a = node("node-a", broker.uri(), url);
        FleetFixtures.waitUntil(() -> Boolean.TRUE.equals(roster.get("node-a")) && said("LEADER node-a true"), 60);
        Process b = node("node-b", broker.uri(), url);
        FleetFixtures.waitUntil(() -> Boolean.TRUE.equals(roster.get("node-b")), 60);

        // QoS 1 reports, each from its own simulated gateway id, so the store's gateway count counts them
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        List<MqttAsyncClient> gateways = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            MqttAsyncClient g = new MqttAsyncClient(broker.uri(), "sim-" + c, new MemoryPersistence());
            g.connect().waitForCompletion(10_000);
            gateways.add(g);
            closing.add(() -> g.disconnect().waitForCompletion(5_000));
        }
        boolean killed = false;
        for (int k = 0; k < REPORTS_EACH; k++) {
            for (int c = 0; c < CLIENTS; c++) {
                String id = "r-" + c + "-" + k;
                String json = "{\"deviceId\":\"" + id + "\",\"msgId\":" + k + ",\"seq\":1,\"ts\":"
                        + "\"2026-12-01T00:00:00Z\",\"bytesSaved\":" + k + ",\"sources\":{}}";
                int sent = acked.size() + failed.get();
                int index = k * CLIENTS + c;
                FleetFixtures.waitUntil(() -> index - (acked.size() + failed.get()) < 40, 30); // bounded in flight
                gateways.get(c).publish(PREFIX + id + "/status", new MqttMessage(json.getBytes(StandardCharsets.UTF_8),
                        1, false, null), null, new MqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                acked.add(id);
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable e) {
                                failed.incrementAndGet();
                            }
                        });
                if (!killed && sent >= KILL_AFTER) {
                    a.destroyForcibly(); // SIGKILL: no clean leave, the broker sends node-a's will
                    killed = true;
                }
            }
        }
        FleetFixtures.waitUntil(() -> acked.size() + failed.get() == CLIENTS * REPORTS_EACH, 60);
        assertTrue(killed);
        assertEquals(0, failed.get(), "the broker acknowledged every report");

        // every acknowledged report is in the store (reports create their gateway)
        try {
            FleetFixtures.waitUntil(() -> store.gateways(GatewayQuery.firstPage(1)).total() >= acked.size(), 120);
        } catch (AssertionError e) {
            // counted below, with the number missing
        }
        long missing = acked.stream().filter(id -> store.lastReport(id).isEmpty()).count();
        assertEquals(0, missing, "reports acknowledged by the broker but not in the store");
        FleetFixtures.waitUntil(() -> Boolean.FALSE.equals(roster.get("node-a")), 30);
        FleetFixtures.waitUntil(() -> said("LEADER node-b true"), 60);
        // the new leader took over node-a's persistent session and handled what it held
        FleetFixtures.waitUntil(() -> said("drained the session of edgeshare-platform-node-a"), 60);

        // the surviving node serves the whole fleet: two gateways born now get each other as nearby sharers
        Map<String, JsonElement> lists = new ConcurrentHashMap<>();
        MqttClient gw = new MqttClient(broker.uri(), "it-gw", new MemoryPersistence());
        gw.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                if (m.getPayload().length > 0) {
                    lists.put(topic, JsonParser.parseString(new String(m.getPayload(), StandardCharsets.UTF_8)));
                }
            }
        });
        gw.connect();
        closing.add(gw::disconnect);
        gw.subscribe(PREFIX + "+/nearby", 1);
        birthWithCatalog(gw, "gw-x", 48.8500, 2.3300);
        birthWithCatalog(gw, "gw-y", 48.8504, 2.3300);
        FleetFixtures.waitUntil(() -> sharers(lists.get(PREFIX + "gw-x/nearby")).contains("gw-y")
                && sharers(lists.get(PREFIX + "gw-y/nearby")).contains("gw-x"), 60);
        assertTrue(b.isAlive());
    }

    private static Set<String> sharers(JsonElement list) {
        Set<String> ids = new java.util.HashSet<>();
        if (list != null && list.getAsJsonObject().has("sharers")) {
            list.getAsJsonObject().getAsJsonArray("sharers")
                    .forEach(e -> ids.add(e.getAsJsonObject().get("deviceId").getAsString()));
        }
        return ids;
    }

    private static void birthWithCatalog(MqttClient c, String id, double lat, double lon) throws Exception {
        FleetFixtures.publish(c, PREFIX + id + "/presence", "{\"state\":\"online\",\"deviceId\":\"" + id
                + "\",\"seq\":1,\"location\":{\"lat\":" + lat + ",\"lon\":" + lon + "},\"portalUrl\":"
                + "\"http://127.0.0.1:9/" + id + "/\",\"name\":\"Shop " + id + "\"}", true);
        FleetFixtures.publish(c, PREFIX + id + "/catalog", "{\"deviceId\":\"" + id + "\",\"msgId\":1,\"full\":true,"
                + "\"rev\":1,\"items\":[{\"id\":\"c-" + id + "\",\"title\":\"a\",\"mediaType\":\"audio/mpeg\","
                + "\"size\":1}]}", false);
    }

    private boolean said(String line) {
        return output.stream().anyMatch(l -> l.contains(line));
    }

    private Process node(String id, String brokerUri, String url) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                PlatformNodeMain.class.getName(), id, brokerUri, url, LocalPostgres.USER, LocalPostgres.PASSWORD)
                .redirectErrorStream(true).start();
        nodes.add(p);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    output.add(id + ": " + line);
                }
            } catch (java.io.IOException e) {
                // the node was killed
            }
        }, "it-" + id + "-output");
        reader.setDaemon(true);
        reader.start();
        return p;
    }
}
