package io.edgeshare.platform.policy.itest;

import static io.edgeshare.platform.policy.itest.PlatformPolicyMosquittoIT.noDelay;
import static io.edgeshare.platform.policy.itest.PlatformPolicyMosquittoIT.report;
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
import io.edgeshare.testsupport.MqttCallbackAdapter;

/**
 * The same round trip through the platform's own embedded broker (HiveMQ CE in platform-broker): the
 * platform publishes a signed policy retained, the gateway's policy bundle applies it, the report comes
 * back; publish-to-applied latency measured.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformPolicyHiveMqIT {
    private static final String PREFIX = "edgeshare/v1/gw/gw-h/policy/";
    private static final String PLATFORM_PASSWORD = "it-platform-password";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws IOException {
        String instance = Files.createTempDirectory("edgeshare-platform-policy-hivemq-it").toString();
        return options(core(), http(freePort()), gson(), paho(),
                systemProperty("edgeshare.broker.lib").value(System.getProperty("edgeshare.broker.lib")),
                systemProperty("it.mqtt.port").value(Integer.toString(freePort())),
                ourBundle("api"), ourBundle("protocol"), ourBundle("platform-session"), ourBundle("platform-broker"), ourBundle("policy"), ourBundle("cache"),
                ourBundle("platform-fleet"), bundleUnderTest(),
                systemProperty("edgeshare.instance.dir").value(instance));
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    public void policyThroughTheEmbeddedBroker() throws Exception {
        assertAllBundlesActive(context);
        String broker = "tcp://127.0.0.1:" + context.getProperty("it.mqtt.port");
        // the embedded broker refuses anonymous clients: the platform logs in with its own credential, the
        // gateway with the one enrolment issues (POST /api/devices, as the launcher does)
        update("edgeshare.platform.broker", "port", Integer.parseInt(context.getProperty("it.mqtt.port")),
                "platform.password", PLATFORM_PASSWORD);
        update("edgeshare.platform.policy", "broker.uri", broker, "username", "edgeshare-platform",
                "password", PLATFORM_PASSWORD);
        awaitTrue(() -> get("/api/policies").contains("\"connected\":true"), 60, "the platform to reach its broker");

        String key = JsonParser.parseString(get("/api/policy-key")).getAsJsonObject().get("publicKey").getAsString();
        update("edgeshare.identity", "device.id", "gw-h");
        update("edgeshare.policy", "platform.public.key", key);
        ServiceTracker<PolicyService, PolicyService> tracker = new ServiceTracker<>(context, PolicyService.class, null);
        tracker.open();
        PolicyService gateway = tracker.waitForService(10_000);
        assertNotNull(gateway);

        ExecutorService worker = Executors.newSingleThreadExecutor();
        String devicePassword = enrol("gw-h");
        MqttClient uplink = new MqttClient(broker, "gw-gw-h", new MemoryPersistence());
        uplink.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                byte[] doc = m.getPayload();
                worker.execute(() -> {
                    try {
                        uplink.publish(PREFIX + "reported", report(gateway.offer(doc)), 1, true);
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                });
            }
        });
        uplink.connect(login("gw-h", devicePassword));
        uplink.subscribe(PREFIX + "desired", 1);
        BlockingQueue<JsonObject> reports = new LinkedBlockingQueue<>();
        MqttClient watcher = new MqttClient(broker, "edgeshare-platform-it-watcher", new MemoryPersistence());
        watcher.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                reports.add(JsonParser.parseString(new String(m.getPayload(), StandardCharsets.UTF_8)).getAsJsonObject());
            }
        });
        watcher.connect(login("edgeshare-platform", PLATFORM_PASSWORD));
        watcher.subscribe(PREFIX + "reported", 1);

        post("{\"policy\":{\"sharing\":{\"clientRateBytesPerSecond\":700000}},\"targets\":[\"gw-h\"]}");
        awaitTrue(() -> get("/api/policies/1").contains("\"outcome\":\"applied\""), 20, "gw-h applies 1");
        assertEquals(700_000L, configAdmin.getConfiguration("edgeshare.cache", "?").getProperties()
                .get("client.rate.bytes.per.s"));

        int rounds = Integer.getInteger("edgeshare.policy.rounds", 200);
        List<Long> micros = new ArrayList<>();
        reports.clear();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            long g = JsonParser.parseString(post("{\"policy\":{\"sharing\":{\"clientRateBytesPerSecond\":" + (800_000 + i)
                    + "}},\"targets\":[\"gw-h\"]}")).getAsJsonObject().get("generation").getAsLong();
            while (true) {
                JsonObject rep = reports.poll(10, TimeUnit.SECONDS);
                assertNotNull("a report for generation " + g, rep);
                if (rep.get("lastOffered").getAsLong() == g) {
                    assertEquals(rep.toString(), "applied", rep.get("lastOutcome").getAsString());
                    break;
                }
            }
            micros.add((System.nanoTime() - t0) / 1000);
        }
        Collections.sort(micros);
        System.out.printf("policy latency (POST /api/policies -> reported applied, %d rounds, cache bundle "
                + "health-checked, embedded HiveMQ CE): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", rounds,
                micros.get(rounds / 2) / 1000.0, micros.get(rounds * 9 / 10) / 1000.0,
                micros.get(Math.min(rounds - 1, rounds * 99 / 100)) / 1000.0, micros.get(rounds - 1) / 1000.0);
        uplink.disconnect();
        uplink.close();
        watcher.disconnect();
        watcher.close();
        worker.shutdown();
    }

    private static org.eclipse.paho.mqttv5.client.MqttConnectionOptions login(String user, String password) {
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = noDelay();
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        return o;
    }

    /** Enrols a device through the platform API and returns the broker password it was issued. */
    private String enrol(String deviceId) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort(context)
                + "/api/devices")).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + OperatorTokenFile.read(context))
                .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + deviceId + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.body(), r.statusCode() == 200 || r.statusCode() == 201);
        return JsonParser.parseString(r.body()).getAsJsonObject().get("password").getAsString();
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

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort(context) + path))
                .header("Authorization", "Bearer " + OperatorTokenFile.read(context))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String post(String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort(context)
                + "/api/policies")).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + OperatorTokenFile.read(context))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 201, r.statusCode());
        return r.body();
    }

    private static void awaitTrue(Callable<Boolean> condition, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (IOException notYet) {
                // HTTP not up yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
