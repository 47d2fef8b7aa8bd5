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
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

import io.edgeshare.api.fleet.FleetStore;
import io.edgeshare.api.fleet.GatewayBirth;
import io.edgeshare.api.policy.PolicyService;
import io.edgeshare.api.policy.PolicyState;
import io.edgeshare.testsupport.MosquittoBroker;
import io.edgeshare.testsupport.MqttCallbackAdapter;

/**
 * Staged rollouts on the platform runtime: platform-fleet's guarded /api, the platform store (H2) and the policy
 * bundle in Felix, a real Mosquitto, and ten real MQTT 5 clients acting as gateways (they take the desired
 * document, reject one with an {@code ap} section as a gateway would an invalid value, apply the rest, and
 * report retained on {@code policy/reported}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RolloutsIT {
    private static final int GATEWAYS = 10;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private FleetStore fleet;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() throws IOException {
        String instance = Files.createTempDirectory("edgeshare-rollouts-it").toString();
        return options(core(), http(freePort()), gson(), paho(), ourBundle("api"), ourBundle("protocol"),
                ourBundle("platform-session"), ourBundle("platform-fleet"),
                mavenBundle("org.osgi", "org.osgi.service.jdbc", System.getProperty("edgeshare.osgi.jdbc.version")),
                mavenBundle("com.h2database", "h2", System.getProperty("edgeshare.h2.version")),
                mavenBundle("org.postgresql", "postgresql", System.getProperty("edgeshare.postgresql.version")),
                ourBundle("platform-store"), ourBundle("policy"), ourBundle("cache"), bundleUnderTest(),
                systemProperty("edgeshare.instance.dir").value(instance));
    }

    /** One stand-in gateway: what it received (generation, clear, when) and its decisions. */
    private static final class Gateway {
        final String id;
        final MqttClient client;
        final List<long[]> received = new CopyOnWriteArrayList<>(); // {generation, clear 0/1, nanoTime}

        Gateway(String id, String uri, ExecutorService worker) throws Exception {
            this.id = id;
            this.client = new MqttClient(uri, id, new MemoryPersistence());
            String prefix = "edgeshare/v1/gw/" + id + "/policy/";
            client.setCallback(new MqttCallbackAdapter() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    long now = System.nanoTime();
                    byte[] doc = m.getPayload();
                    worker.execute(() -> decide(prefix, doc, now));
                }
            });
            client.connect();
            client.subscribe(prefix + "desired", 1);
        }

        private void decide(String prefix, byte[] doc, long now) {
            try {
                JsonObject envelope = JsonParser.parseString(new String(doc, StandardCharsets.UTF_8)).getAsJsonObject();
                JsonObject payload = JsonParser.parseString(new String(Base64.getDecoder().decode(
                        envelope.get("payload").getAsString()), StandardCharsets.UTF_8)).getAsJsonObject();
                long g = payload.get("generation").getAsLong();
                boolean clear = payload.has("clear") && payload.get("clear").getAsBoolean();
                received.add(new long[] { g, clear ? 1 : 0, now });
                boolean reject = payload.has("ap");
                JsonObject r = new JsonObject();
                r.addProperty("runningGeneration", reject ? 0 : g);
                r.addProperty("lastOffered", g);
                r.addProperty("lastOutcome", reject ? "rejected" : "applied");
                r.addProperty("reason", reject ? "invalid: ap.ssid must be 1 to 32 bytes of UTF-8, is 40" : "");
                r.addProperty("at", Instant.now().toString());
                client.publish(prefix + "reported", r.toString().getBytes(StandardCharsets.UTF_8), 1, true);
            } catch (Exception e) {
                e.printStackTrace();
            }
        }

        List<Long> nanosOf(long generation) {
            List<Long> out = new ArrayList<>();
            received.stream().filter(x -> x[0] == generation).forEach(x -> out.add(x[2]));
            return out;
        }
    }

    @Test
    public void canaryThenWavesThenCompletedThenBackToNoPolicy() throws Exception {
        try (Fixture f = new Fixture()) {
            HttpResponse<String> created = post("/api/policies", """
                    {"policy":{"reporting":{"intervalSeconds":20}},"target":{"kind":"profile","value":"%s"},
                     "canaryPercent":20,"waves":[60,100],"waveIntervalS":2}""".formatted(f.profile));
            assertEquals(created.body(), 202, created.statusCode());
            JsonObject r = json(created.body());
            long id = r.get("id").getAsLong();
            long g = r.get("generation").getAsLong();
            assertEquals("/api/rollouts/" + id, created.headers().firstValue("Location").orElse(""));
            assertEquals("the request itself publishes nothing", 10, r.getAsJsonObject("counts").get("pending").getAsInt());

            JsonObject done = awaitRollout(id, "completed");
            assertEquals(GATEWAYS, done.getAsJsonObject("counts").get("applied").getAsInt());
            assertEquals(List.of(20, 60, 100), intList(done, "stages"));

            // canary (2), then the first wave (4 more) 2 s later, then the rest (4) 2 s after that
            List<Long> when = new ArrayList<>();
            for (Gateway gw : f.gateways) {
                assertEquals(gw.id, 1, gw.nanosOf(g).size());
                when.addAll(gw.nanosOf(g));
            }
            when.sort(null);
            assertTrue("canary then wave: " + when, when.get(2) - when.get(1) >= TimeUnit.MILLISECONDS.toNanos(1500));
            assertTrue("wave then wave: " + when, when.get(6) - when.get(5) >= TimeUnit.MILLISECONDS.toNanos(1500));

            // per-device outcomes, paged
            JsonObject page = json(get("/api/rollouts/" + id + "?limit=4").body());
            assertEquals(4, page.getAsJsonArray("gateways").size());
            String after = page.get("nextAfter").getAsString();
            JsonObject next = json(get("/api/rollouts/" + id + "?limit=4&after=" + after).body());
            assertTrue(next.getAsJsonArray("gateways").get(0).getAsJsonObject().get("deviceId").getAsString()
                    .compareTo(after) > 0);

            // rollback to generation 0: every gateway gets a signed "clear", and the rollout is marked rolled back
            HttpResponse<String> back = post("/api/rollouts/" + id + "/rollback", "{\"toGeneration\":0}");
            assertEquals(back.body(), 202, back.statusCode());
            JsonObject b = json(back.body());
            assertEquals(0, b.get("restores").getAsInt());
            // one stage with no soak time: "completed" as soon as it is sent, so wait for the gateways themselves
            awaitRollout(b.get("id").getAsLong(), "completed");
            long clearGeneration = b.get("generation").getAsLong();
            for (Gateway gw : f.gateways) {
                awaitTrue(() -> !gw.nanosOf(clearGeneration).isEmpty(), gw.id + " to receive generation " + clearGeneration);
                long[] last = gw.received.get(gw.received.size() - 1);
                assertEquals(clearGeneration, last[0]);
                assertEquals(gw.id + " got a clear", 1, last[1]);
            }
            assertEquals("rolled_back", json(get("/api/rollouts/" + id).body()).get("state").getAsString());
        }
    }

    @Test
    public void rejectionsHaltARolloutByItself() throws Exception {
        try (Fixture f = new Fixture()) {
            HttpResponse<String> created = post("/api/policies", """
                    {"policy":{"ap":{"ssid":"%s"}},"target":{"kind":"profile","value":"%s"},"canaryPercent":20,
                     "waveIntervalS":1,"haltWhen":{"rejectedPercent":10,"minOutcomes":2}}"""
                    .formatted("x".repeat(40), f.profile));
            assertEquals(created.body(), 202, created.statusCode());
            long id = json(created.body()).get("id").getAsLong();
            JsonObject halted = awaitRollout(id, "halted");
            assertEquals(2, halted.getAsJsonObject("counts").get("rejected").getAsInt());
            assertEquals(GATEWAYS - 2, halted.getAsJsonObject("counts").get("pending").getAsInt());
            assertTrue(halted.get("note").getAsString(), halted.get("note").getAsString().contains("rejected"));
            JsonObject rejected = json(get("/api/rollouts/" + id + "?state=rejected").body());
            assertTrue(rejected.toString(), rejected.getAsJsonArray("gateways").get(0).getAsJsonObject().get("detail")
                    .getAsString().startsWith("invalid: ap.ssid"));

            HttpResponse<String> aborted = post("/api/rollouts/" + id + "/abort", "");
            assertEquals(aborted.body(), 200, aborted.statusCode());
            assertEquals("aborted", json(aborted.body()).get("state").getAsString());
            assertEquals(409, post("/api/rollouts/" + id + "/resume", "").statusCode());
        }
    }

    @Test
    public void aPolicyForAGatewayThatDoesNotExistIsRefused() throws Exception {
        try (Fixture f = new Fixture()) {
            HttpResponse<String> r = post("/api/policies", """
                    {"policy":{"reporting":{"intervalSeconds":20}},"target":{"kind":"device","value":"gw-nope"}}""");
            assertEquals(r.body(), 422, r.statusCode());
            assertEquals("unknown-device", json(r.body()).get("error").getAsString());
            assertTrue(json(r.body()).get("message").getAsString().contains("gw-nope"));
        }
    }

    /**
     * The gateway's own policy bundle (with the cache bundle it configures) in the same Felix, behind a stand-in
     * uplink: a policy rolled out to it changes its cache configuration, and a clear puts the profile's value back.
     */
    @Test
    public void aClearTakesARealGatewayBackToItsProfile() throws Exception {
        try (Fixture f = new Fixture()) {
            String device = "gw-real-" + f.profile;
            assertTrue(fleet.birth(new GatewayBirth(device, 1, Instant.now(), "real", "home", "1.0", null, "",
                    List.of())));
            update("edgeshare.cache", "client.rate.bytes.per.s", 777L); // the profile's own value, as from etc/
            update("edgeshare.identity", "device.id", device);
            update("edgeshare.policy", "platform.public.key",
                    json(get("/api/policy-key").body()).get("publicKey").getAsString());
            ServiceTracker<PolicyService, PolicyService> tracker = new ServiceTracker<>(context, PolicyService.class, null);
            tracker.open();
            PolicyService gateway = tracker.waitForService(10_000);
            String prefix = "edgeshare/v1/gw/" + device + "/policy/";
            MqttClient uplink = new MqttClient(f.broker.uri(), device, new MemoryPersistence());
            uplink.setCallback(new MqttCallbackAdapter() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    byte[] doc = m.getPayload();
                    f.worker.execute(() -> {
                        try {
                            PolicyState s = gateway.offer(doc);
                            JsonObject r = new JsonObject();
                            r.addProperty("runningGeneration", s.runningGeneration());
                            r.addProperty("lastOffered", s.lastOffered());
                            r.addProperty("lastOutcome", s.lastOutcome());
                            r.addProperty("reason", s.reason());
                            r.addProperty("at", s.at().toString());
                            uplink.publish(prefix + "reported", r.toString().getBytes(StandardCharsets.UTF_8), 1, true);
                        } catch (Exception e) {
                            e.printStackTrace();
                        }
                    });
                }
            });
            uplink.connect();
            uplink.subscribe(prefix + "desired", 1);
            try {
                HttpResponse<String> set = post("/api/policies", """
                        {"policy":{"sharing":{"clientRateBytesPerSecond":100}},"target":{"kind":"device","value":"%s"}}"""
                        .formatted(device));
                assertEquals(set.body(), 202, set.statusCode());
                JsonObject applied = awaitRollout(json(set.body()).get("id").getAsLong(), "completed");
                assertEquals(applied.toString(), 1, applied.getAsJsonObject("counts").get("applied").getAsInt());
                assertEquals(100L, cacheRate());

                HttpResponse<String> clear = post("/api/policies/clear", """
                        {"target":{"kind":"device","value":"%s"}}""".formatted(device));
                assertEquals(clear.body(), 202, clear.statusCode());
                JsonObject cleared = awaitRollout(json(clear.body()).get("id").getAsLong(), "completed");
                assertEquals(cleared.toString(), 1, cleared.getAsJsonObject("counts").get("applied").getAsInt());
                assertEquals(777L, cacheRate());
                assertEquals(json(clear.body()).get("generation").getAsLong(), gateway.state().runningGeneration());
            } finally {
                uplink.disconnect();
                uplink.close();
                tracker.close();
            }
        }
    }

    private Object cacheRate() throws IOException {
        return configAdmin.getConfiguration("edgeshare.cache", "?").getProperties().get("client.rate.bytes.per.s");
    }

    @Test
    public void theRolloutsPageIsServedLikeTheConsole() throws Exception {
        assertAllBundlesActive(context);
        awaitTrue(() -> http.send(HttpRequest.newBuilder(URI.create(base() + "/rollouts.html")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200, "the rollouts page");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base() + "/rollouts.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(page.body().contains("<title>EdgeShare rollouts</title>"));
    }

    @Test
    public void theRolloutApiRefusesARequestWithoutTheToken() throws Exception {
        assertAllBundlesActive(context);
        awaitTrue(() -> get("/api/rollouts").statusCode() == 200, "the rollout API");
        for (String[] call : List.of(new String[] { "GET", "/api/rollouts" }, new String[] { "POST", "/api/rollouts/1/abort" },
                new String[] { "POST", "/api/policies/clear" })) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + call[1])).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json");
            b = call[0].equals("GET") ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString("{}"));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(call[1], 401, r.statusCode());
            assertEquals("token-required", json(r.body()).get("error").getAsString());
        }
    }

    /** Mosquitto, the platform connected to it, and the gateways: registered in the fleet store and connected. */
    private final class Fixture implements AutoCloseable {
        final MosquittoBroker broker;
        final ExecutorService worker = Executors.newSingleThreadExecutor();
        final List<Gateway> gateways = new ArrayList<>();
        final String profile;

        Fixture() throws Exception {
            assertAllBundlesActive(context);
            broker = MosquittoBroker.start();
            update("edgeshare.platform.policy", "broker.uri", broker.uri());
            awaitTrue(() -> {
                com.google.gson.JsonObject answer = com.google.gson.JsonParser.parseString(get("/api/policies").body())
                        .getAsJsonObject();
                return answer.has("connected") && answer.get("connected").getAsBoolean(); // an error has none
            }, "the platform to connect");
            awaitTrue(() -> get("/api/rollouts").statusCode() == 200, "the rollout API");
            String run = Long.toString(System.nanoTime() % 1_000_000, 36);
            profile = "mall-" + run;
            for (int i = 0; i < GATEWAYS; i++) {
                String id = "gw-" + run + "-" + i;
                assertTrue(fleet.birth(new GatewayBirth(id, 1, Instant.now(), "sim", profile, "1.0", null, "",
                        List.of())));
                gateways.add(new Gateway(id, broker.uri(), worker));
            }
        }

        @Override
        public void close() throws Exception {
            // the next test starts with a fleet of its own: these leave it
            for (Gateway g : gateways) {
                fleet.decommission(g.id, Instant.now());
                g.client.disconnect();
                g.client.close();
            }
            worker.shutdownNow();
            broker.close();
        }
    }

    private JsonObject awaitRollout(long id, String state) throws Exception {
        JsonObject[] last = new JsonObject[1];
        awaitTrue(() -> {
            last[0] = json(get("/api/rollouts/" + id).body());
            return last[0].get("state").getAsString().equals(state);
        }, "rollout " + id + " " + state + " (last seen " + last[0] + ")");
        return last[0];
    }

    private static List<Integer> intList(JsonObject o, String key) {
        List<Integer> out = new ArrayList<>();
        o.getAsJsonArray(key).forEach(e -> out.add(e.getAsInt()));
        return out;
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
        io.edgeshare.testsupport.EdgeShareOptions.await(Duration.ofSeconds(30), condition,
                () -> "timed out waiting for " + what);
    }
}
