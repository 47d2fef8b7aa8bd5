package io.edgeshare.platform.policy.itest;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.freePort;
import static io.edgeshare.testsupport.EdgeShareOptions.gson;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.httpPort;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static io.edgeshare.testsupport.EdgeShareOptions.paho;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.edgeshare.api.policy.PolicyService;
import io.edgeshare.api.policy.PolicyState;
import io.edgeshare.testsupport.MosquittoBroker;
import io.edgeshare.testsupport.MqttCallbackAdapter;

/**
 * The platform's policy authority and a gateway's policy bundle in one Felix, talking through a real
 * Mosquitto: the operator posts a policy, the platform signs it and publishes it retained, the gateway (a
 * stand-in for the uplink wiring: subscribe, offer, report) verifies it with the key from
 * {@code GET /api/policy-key} and applies it, and the platform shows the outcome; a rejected policy and a
 * rollback. Also measures publish-to-applied latency.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformPolicyMosquittoIT {
    private static final String PREFIX = "edgeshare/v1/gw/gw-a/policy/";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws IOException {
        String instance = Files.createTempDirectory("edgeshare-platform-policy-it").toString();
        return options(core(), http(freePort()), gson(), paho(), ourBundle("api"), ourBundle("protocol"), ourBundle("platform-session"), ourBundle("policy"),
                ourBundle("cache"), ourBundle("platform-fleet"), bundleUnderTest(),
                systemProperty("edgeshare.instance.dir").value(instance));
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    public void publishSignedPolicyWatchItTakeEffectAndRollBack() throws Exception {
        assertAllBundlesActive(context);
        try (MosquittoBroker broker = MosquittoBroker.start(); NoDelayMosquitto fast = NoDelayMosquitto.start()) {
            update("edgeshare.platform.policy", "broker.uri", broker.uri());
            awaitTrue(() -> get("/api/policies").body().contains("\"connected\":true"), "the platform to connect");

            // provisioning: the gateway trusts the key the platform exports
            JsonObject key = json(get("/api/policy-key").body());
            assertEquals("Ed25519", key.get("algorithm").getAsString());
            update("edgeshare.identity", "device.id", "gw-a");
            update("edgeshare.policy", "platform.public.key", key.get("publicKey").getAsString());
            PolicyService gateway = service(PolicyService.class);

            // the uplink's part, as the lead will wire it: desired -> offer() off the MQTT thread -> reported
            ExecutorService worker = Executors.newSingleThreadExecutor();
            MqttClient uplink = new MqttClient(broker.uri(), "gw-a", new MemoryPersistence());
            uplink.setCallback(new MqttCallbackAdapter() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    byte[] doc = m.getPayload();
                    worker.execute(() -> {
                        try {
                            PolicyState s = gateway.offer(doc);
                            uplink.publish(PREFIX + "reported", report(s), 1, true);
                        } catch (Exception e) {
                            e.printStackTrace();
                        }
                    });
                }
            });
            uplink.connect(noDelay());
            uplink.subscribe(PREFIX + "desired", 1);

            BlockingQueue<JsonObject> reports = new LinkedBlockingQueue<>();
            MqttClient watcher = new MqttClient(broker.uri(), "it-watcher", new MemoryPersistence());
            watcher.setCallback(new MqttCallbackAdapter() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    reports.add(json(new String(m.getPayload(), StandardCharsets.UTF_8)));
                }
            });
            watcher.connect(noDelay());
            watcher.subscribe(PREFIX + "reported", 1);

            // 1: applied
            HttpResponse<String> created = post("/api/policies", """
                    {"policy":{"sharing":{"enabled":true,"categories":["video","image"],"clientRateBytesPerSecond":500000},
                               "audio":{"maxListeners":30,"admission":"capped"},"reporting":{"intervalSeconds":20}},
                     "targets":["gw-a"],"comment":"first"}""");
            assertEquals(created.body(), 201, created.statusCode());
            assertEquals("/api/policies/1", created.headers().firstValue("Location").orElse(""));
            assertTrue(created.body(), created.body().contains("\"gw-a\":\"published\""));
            awaitTrue(() -> get("/api/policies/1").body().contains("\"outcome\":\"applied\""), "gw-a applies 1");
            assertEquals(1, gateway.state().runningGeneration());
            assertEquals(500_000L, configAdmin.getConfiguration("edgeshare.cache", "?").getProperties()
                    .get("client.rate.bytes.per.s"));

            // the retained document is exactly what the platform recorded, and a gateway that connects later gets it
            BlockingQueue<String> retained = new LinkedBlockingQueue<>();
            MqttClient late = new MqttClient(broker.uri(), "it-late", new MemoryPersistence());
            late.setCallback(new MqttCallbackAdapter() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    if (m.isRetained()) {
                        retained.add(new String(m.getPayload(), StandardCharsets.UTF_8));
                    }
                }
            });
            late.connect();
            late.subscribe(PREFIX + "desired", 1);
            String doc = retained.poll(10, TimeUnit.SECONDS);
            assertNotNull("a retained desired policy", doc);
            JsonObject one = json(get("/api/policies/1").body());
            assertEquals(one.get("envelope"), JsonParser.parseString(doc));
            assertEquals("first", one.getAsJsonObject("policy").get("comment").getAsString());
            late.disconnect();
            late.close();
            // offered again (as after a reconnect): nothing changes
            assertEquals("applied", gateway.offer(doc.getBytes(StandardCharsets.UTF_8)).lastOutcome());

            // 2: the gateway rejects an invalid value, the platform shows why, 1 keeps running
            HttpResponse<String> bad = post("/api/policies", """
                    {"policy":{"ap":{"ssid":"%s"}},"targets":["gw-a"]}""".formatted("x".repeat(40)));
            assertEquals(bad.body(), 201, bad.statusCode());
            awaitTrue(() -> get("/api/policies/2").body().contains("\"outcome\":\"rejected\""), "gw-a rejects 2");
            assertTrue(get("/api/policies/2").body().contains("invalid: ap.ssid must be 1 to 32 bytes of UTF-8, is 40"));
            assertEquals(1, gateway.state().runningGeneration());

            // 3: a policy that changes the rate, then a rollback to 1 as generation 4
            post("/api/policies", """
                    {"policy":{"sharing":{"clientRateBytesPerSecond":100}},"targets":["gw-a"]}""");
            awaitTrue(() -> gateway.state().runningGeneration() == 3, "gw-a applies 3");
            assertEquals(100L, configAdmin.getConfiguration("edgeshare.cache", "?").getProperties()
                    .get("client.rate.bytes.per.s"));
            HttpResponse<String> rollback = post("/api/policies/1/rollback", "");
            assertEquals(rollback.body(), 201, rollback.statusCode());
            assertTrue(rollback.body(), rollback.body().contains("\"rollbackOf\":1"));
            awaitTrue(() -> get("/api/policies/4").body().contains("\"outcome\":\"applied\""), "gw-a applies 4");
            assertEquals(500_000L, configAdmin.getConfiguration("edgeshare.cache", "?").getProperties()
                    .get("client.rate.bytes.per.s"));
            String history = get("/api/policies").body();
            assertTrue(history, history.indexOf("\"generation\":4") < history.indexOf("\"generation\":1"));
            assertEquals(400, post("/api/policies", "{\"policy\":{\"nope\":{}},\"targets\":\"all\"}").statusCode());
            assertEquals(404, get("/api/policies/99").statusCode());

            measure(reports, "Mosquitto 2.0.11, default settings");

            // fan-out: one policy for all of 1000 more gateways the platform learnt from their presence
            MqttClient fleet = new MqttClient(broker.uri(), "it-fleet", new MemoryPersistence());
            fleet.connect(noDelay());
            for (int i = 0; i < 1000; i++) {
                fleet.publish("edgeshare/v1/gw/gw-f" + i + "/presence",
                        ("{\"state\":\"online\",\"deviceId\":\"gw-f" + i + "\",\"seq\":1}").getBytes(StandardCharsets.UTF_8), 0,
                        true); // QoS 0: Paho 1.2.5's synchronous QoS 1 publish in a tight loop trips its in-flight count
            }
            awaitTrue(() -> get("/api/policies").body().contains("\"knownGateways\":1001"), "1001 known gateways");
            long f0 = System.nanoTime();
            HttpResponse<String> all = post("/api/policies", "{\"policy\":{\"audio\":{\"breaksEvery\":2}},\"targets\":\"all\"}");
            long fanoutMs = (System.nanoTime() - f0) / 1_000_000;
            assertEquals(all.body(), 201, all.statusCode());
            assertEquals(all.body(), 1001, all.body().split("\"published\"", -1).length - 1);
            System.out.printf("policy fan-out: one signed policy published retained (QoS 1, acknowledged) to 1001 "
                    + "gateways in %d ms (Mosquitto 2.0.11, default settings)%n", fanoutMs);
            // a gateway first seen after the policy for all gets it at once
            BlockingQueue<String> latecomer = new LinkedBlockingQueue<>();
            MqttClient newcomer = new MqttClient(broker.uri(), "it-newcomer", new MemoryPersistence());
            newcomer.setCallback(new MqttCallbackAdapter() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    latecomer.add(new String(m.getPayload(), StandardCharsets.UTF_8));
                }
            });
            newcomer.connect(noDelay());
            newcomer.subscribe("edgeshare/v1/gw/gw-new/policy/desired", 1);
            fleet.publish("edgeshare/v1/gw/gw-new/presence",
                    "{\"state\":\"online\",\"deviceId\":\"gw-new\",\"seq\":1}".getBytes(StandardCharsets.UTF_8), 1, true);
            String got = latecomer.poll(10, TimeUnit.SECONDS);
            assertNotNull("the newcomer gets the policy for all", got);
            assertEquals(json(all.body()).get("generation").getAsLong(), json(new String(java.util.Base64.getDecoder()
                    .decode(json(got).get("payload").getAsString()), StandardCharsets.UTF_8)).get("generation").getAsLong());
            newcomer.disconnect();
            newcomer.close();
            fleet.disconnect();
            fleet.close();
            uplink.disconnect();
            uplink.close();
            watcher.disconnect();
            watcher.close();
            worker.shutdown();

            // the same round trip through a Mosquitto with TCP_NODELAY on its sockets (set_tcp_nodelay true)
            update("edgeshare.platform.policy", "broker.uri", fast.uri());
            awaitTrue(() -> get("/api/policies").body().contains("\"connected\":true"), "the platform to reconnect");
            ExecutorService worker2 = Executors.newSingleThreadExecutor();
            MqttClient uplink2 = new MqttClient(fast.uri(), "gw-a", new MemoryPersistence());
            uplink2.setCallback(new MqttCallbackAdapter() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    byte[] doc = m.getPayload();
                    worker2.execute(() -> {
                        try {
                            uplink2.publish(PREFIX + "reported", report(gateway.offer(doc)), 1, true);
                        } catch (Exception e) {
                            e.printStackTrace();
                        }
                    });
                }
            });
            uplink2.connect(noDelay());
            uplink2.subscribe(PREFIX + "desired", 1);
            BlockingQueue<JsonObject> reports2 = new LinkedBlockingQueue<>();
            MqttClient watcher2 = new MqttClient(fast.uri(), "it-watcher", new MemoryPersistence());
            watcher2.setCallback(new MqttCallbackAdapter() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    reports2.add(json(new String(m.getPayload(), StandardCharsets.UTF_8)));
                }
            });
            watcher2.connect(noDelay());
            watcher2.subscribe(PREFIX + "reported", 1);
            measure(reports2, "Mosquitto 2.0.11, set_tcp_nodelay true");
            uplink2.disconnect();
            uplink2.close();
            watcher2.disconnect();
            watcher2.close();
            worker2.shutdown();
        }
    }

    private void measure(BlockingQueue<JsonObject> reports, String broker) throws Exception {
        // publish -> applied, measured at the platform side of the broker
        List<Long> micros = new ArrayList<>();
        List<Long> postMicros = new ArrayList<>();
        List<Long> applyMillis = new ArrayList<>();
        int rounds = Integer.getInteger("edgeshare.policy.rounds", 200);
        reports.clear();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = post("/api/policies", """
                    {"policy":{"sharing":{"clientRateBytesPerSecond":%d}},"targets":["gw-a"]}""".formatted(
                    1_000_000 + i));
            long g = json(r.body()).get("generation").getAsLong();
            postMicros.add((System.nanoTime() - t0) / 1000);
            while (true) {
                JsonObject rep = reports.poll(10, TimeUnit.SECONDS);
                assertNotNull("a report for generation " + g, rep);
                if (rep.get("lastOffered").getAsLong() == g) {
                    assertEquals(rep.toString(), "applied", rep.get("lastOutcome").getAsString());
                    break;
                }
            }
            micros.add((System.nanoTime() - t0) / 1000);
            applyMillis.add(policyTelemetry().snapshot().metrics().get("apply.last.ms").longValue());
        }
        Collections.sort(micros);
        System.out.printf("policy latency (POST /api/policies -> reported applied, %d rounds, cache bundle "
                + "health-checked, %s): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", rounds, broker,
                micros.get(rounds / 2) / 1000.0, micros.get(rounds * 9 / 10) / 1000.0,
                micros.get(Math.min(rounds - 1, rounds * 99 / 100)) / 1000.0, micros.get(rounds - 1) / 1000.0);

        Collections.sort(postMicros);
        System.out.printf("  of which POST (sign, record, publish QoS 1 and wait for PUBACK): p50 %.1f ms, p99 %.1f ms%n",
                postMicros.get(rounds / 2) / 1000.0, postMicros.get(Math.min(rounds - 1, rounds * 99 / 100)) / 1000.0);
        Collections.sort(applyMillis);
        System.out.printf("  of which the gateway's apply (ConfigAdmin update + health check): p50 %d ms, p99 %d ms%n",
                applyMillis.get(rounds / 2), applyMillis.get(Math.min(rounds - 1, rounds * 99 / 100)));
    }

    private io.edgeshare.api.telemetry.TelemetrySource policyTelemetry() throws Exception {
        for (var r : context.getServiceReferences(io.edgeshare.api.telemetry.TelemetrySource.class, null)) {
            var t = context.getService(r);
            if (t.name().equals("policy")) {
                return t;
            }
        }
        throw new AssertionError("no policy telemetry");
    }

    /** Connect options with Nagle off, as the uplink should use (see the report). */
    static org.eclipse.paho.mqttv5.client.MqttConnectionOptions noDelay() {
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
        o.setSocketFactory(new javax.net.SocketFactory() {
            @Override
            public java.net.Socket createSocket() throws IOException {
                java.net.Socket s = new java.net.Socket();
                s.setTcpNoDelay(true);
                return s;
            }

            @Override
            public java.net.Socket createSocket(String h, int p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(String h, int p, java.net.InetAddress a, int lp) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress h, int p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress h, int p, java.net.InetAddress a, int lp) {
                throw new UnsupportedOperationException();
            }
        });
        return o;
    }

    /** The PolicyState JSON the uplink publishes on policy/reported (docs/mqtt.md). */
    static byte[] report(PolicyState s) {
        JsonObject o = new JsonObject();
        o.addProperty("runningGeneration", s.runningGeneration());
        o.addProperty("lastOffered", s.lastOffered());
        o.addProperty("lastOutcome", s.lastOutcome());
        o.addProperty("reason", s.reason());
        o.addProperty("at", s.at().toString());
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    private void update(String pid, Object... kv) throws IOException {
        Dictionary<String, Object> d = new Hashtable<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        configAdmin.getConfiguration(pid, "?").update(d);
        if (pid.equals("edgeshare.platform.policy")) { // the broker keys are the node session's (one per node)
            configAdmin.getConfiguration("edgeshare.platform.session", "?").update(d);
        }
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        T s = tracker.waitForService(10_000);
        assertNotNull("no " + type.getName(), s);
        return s;
    }

    private String base() {
        return "http://127.0.0.1:" + httpPort(context);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + OperatorTokenFile.read(context)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + OperatorTokenFile.read(context))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitTrue(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
