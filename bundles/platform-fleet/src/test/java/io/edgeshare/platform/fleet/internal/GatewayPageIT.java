package io.edgeshare.platform.fleet.internal;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.httpPort;
import static io.edgeshare.testsupport.EdgeShareOptions.paho;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.AfterClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.edgeshare.api.fleet.FleetStore;
import io.edgeshare.api.fleet.GatewayReport;
import io.edgeshare.api.fleet.Rollout;
import io.edgeshare.api.fleet.RolloutOutcome;
import io.edgeshare.api.fleet.RolloutPlan;
import io.edgeshare.api.fleet.RolloutStore;
import io.edgeshare.testsupport.MosquittoBroker;

/**
 * A gateway's page in Felix with a real Mosquitto: its report history through the API (bounded, paged, operator
 * only) and the "Ask for a full report" command answered by a real MQTT client playing the gateway (it answers
 * {@code cmd/rebirth} with a status report, as the uplink does), then the page rendered by headless Chromium.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatewayPageIT {
    private static final String PREFIX = "edgeshare/v1/gw/";
    private static final Pattern HISTORY_ROW = Pattern.compile("data-report=\"([^\"]+)\"");

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private FleetStore store;

    @Inject
    private RolloutStore rollouts;

    private static MosquittoBroker broker;
    private static MqttClient gateway;
    private static final AtomicInteger answers = new AtomicInteger();
    private static final Object LOCK = new Object();

    @Configuration
    public Option[] config() throws IOException {
        return StoreBackedFleet.options("gateway-page-it");
    }

    @AfterClass
    public static void stop() throws Exception {
        if (gateway != null) {
            gateway.disconnect();
            gateway.close();
            gateway = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /**
     * Once per class: the platform on Mosquitto, gw-answer connected as a gateway that answers rebirth asks, and
     * gw-history with more reports than its history keeps.
     */
    private void fleet() throws Exception {
        synchronized (LOCK) { // not this: the test methods may run at once, each on its own instance
            if (broker == null) {
                setUp();
            }
        }
    }

    private void setUp() throws Exception {
        assertAllBundlesActive(context);
        broker = MosquittoBroker.start();
        Dictionary<String, Object> d = new Hashtable<>();
        d.put("broker.uri", broker.uri());
        configAdmin.getConfiguration("edgeshare.platform.fleet", "?").update(d);
        configAdmin.getConfiguration("edgeshare.platform.session", "?").update(d);
        gateway = new MqttClient(broker.uri(), "gw-gw-answer", new MemoryPersistence());
        gateway.connect();
        gateway.subscribe(new MqttSubscription[] { new MqttSubscription(PREFIX + "gw-answer/cmd/rebirth", 1) },
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] { (topic, message) -> {
                    // answered from another thread: Paho does not allow a publish inside its callback
                    new Thread(() -> {
                        try {
                            report(gateway, 1000 + answers.incrementAndGet());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).start();
                } });
        String auth = auth();
        long connected = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!JsonParser.parseString(api("GET", "/api/gateways?limit=1", auth).body()).getAsJsonObject()
                .get("connected").getAsBoolean()) {
            if (System.nanoTime() > connected) {
                throw new AssertionError("the platform never connected to the broker");
            }
            Thread.sleep(100);
        }
        birth(gateway);
        report(gateway, 1);
        List<GatewayReport> reports = new ArrayList<>();
        Instant t0 = Instant.now().minusSeconds(600);
        for (int i = 0; i < 130; i++) {
            reports.add(new GatewayReport("gw-history", t0.plusSeconds(i), reportJson("gw-history", i)));
        }
        if (store.reportHistory("gw-history", null, 1).isEmpty()) {
            store.reports(reports);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (api("GET", "/api/gateways/gw-answer/reports", auth).statusCode() != 200
                || history("gw-answer", "").getAsJsonArray("reports").isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the platform never stored gw-answer's first report");
            }
            Thread.sleep(100);
        }
    }

    private static String reportJson(String id, long bytesSaved) {
        JsonObject r = new JsonObject();
        r.addProperty("deviceId", id);
        r.addProperty("msgId", bytesSaved);
        r.addProperty("seq", 1);
        r.addProperty("ts", Instant.now().toString());
        r.addProperty("bytesSaved", bytesSaved);
        r.add("sources", new JsonObject());
        return r.toString();
    }

    private static void report(MqttClient c, long bytesSaved) throws Exception {
        FleetFixtures.publish(c, PREFIX + "gw-answer/status", reportJson("gw-answer", bytesSaved), false);
    }

    private static void birth(MqttClient c) throws Exception {
        JsonObject o = new JsonObject();
        o.addProperty("state", "online");
        o.addProperty("deviceId", "gw-answer");
        o.addProperty("seq", 1);
        o.addProperty("profile", "home-gateway");
        o.addProperty("portalUrl", "http://127.0.0.1:9/gw-answer/");
        c.publish(PREFIX + "gw-answer/presence", o.toString().getBytes(StandardCharsets.UTF_8), 1, true);
    }

    private String auth() throws Exception {
        return "Bearer " + StoreBackedFleet.operatorToken(context);
    }

    private HttpResponse<String> api(String method, String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort(context) + path))
                .timeout(Duration.ofSeconds(30));
        if (method.equals("POST")) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        }
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject history(String id, String query) throws Exception {
        HttpResponse<String> r = api("GET", "/api/gateways/" + id + "/reports" + query, auth());
        assertEquals(r.body(), 200, r.statusCode());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** Asks gw-answer for a full report and waits for its answer; returns when it was asked. */
    private Instant rebirthRoundTrip() throws Exception {
        int before = answers.get();
        HttpResponse<String> asked = api("POST", "/api/gateways/gw-answer/rebirth", auth());
        assertEquals(asked.body(), 202, asked.statusCode());
        Instant askedAt = Instant.parse(JsonParser.parseString(asked.body()).getAsJsonObject().get("askedAt")
                .getAsString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonObject detail = JsonParser.parseString(api("GET", "/api/gateways/gw-answer", auth()).body())
                    .getAsJsonObject();
            JsonObject lastReport = detail.getAsJsonObject("lastReport");
            Instant last = Instant.parse(lastReport.get("receivedAt").getAsString());
            // the answer itself is stored (its bytesSaved is 1000 + n), not a report of fleet() still arriving
            if (answers.get() > before && !last.isBefore(askedAt)
                    && lastReport.getAsJsonObject("report").get("bytesSaved").getAsLong() > 1000) {
                return askedAt;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gw-answer's answer never arrived");
            }
            Thread.sleep(100);
        }
    }

    @Test
    public void theHistoryKeepsTheNewestHundredNewestFirst() throws Exception {
        fleet();
        JsonArray page = history("gw-history", "?limit=100").getAsJsonArray("reports");
        assertEquals(100, page.size());
        assertEquals(129, page.get(0).getAsJsonObject().getAsJsonObject("report").get("bytesSaved").getAsLong());
        assertEquals(30, page.get(99).getAsJsonObject().getAsJsonObject("report").get("bytesSaved").getAsLong());
    }

    @Test
    public void theHistoryIsPagedWithNext() throws Exception {
        fleet();
        JsonObject first = history("gw-history", "?limit=60");
        JsonObject second = history("gw-history", "?limit=60&before=" + first.get("next").getAsLong());
        assertEquals(69, second.getAsJsonArray("reports").get(0).getAsJsonObject().getAsJsonObject("summary")
                .get("bytesSaved").getAsLong());
        assertEquals(40, second.getAsJsonArray("reports").size());
        assertTrue("the last page has no next", second.get("next") == null || second.get("next").isJsonNull());
    }

    @Test
    public void aBadLimitIsRefused() throws Exception {
        fleet();
        HttpResponse<String> r = api("GET", "/api/gateways/gw-history/reports?limit=0", auth());
        assertEquals(400, r.statusCode());
        assertEquals("bad-query", JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString());
    }

    @Test
    public void aStrangerGetsNoHistoryNorCommand() throws Exception {
        fleet();
        HttpResponse<String> history = api("GET", "/api/gateways/gw-history/reports", null);
        assertEquals(401, history.statusCode());
        assertFalse(history.body().contains("bytesSaved"));
        assertEquals(401, api("POST", "/api/gateways/gw-answer/rebirth", null).statusCode());
        assertEquals(401, api("POST", "/api/gateways/gw-answer/rebirth", "Bearer not-the-token").statusCode());
        assertEquals(401, api("GET", "/api/gateways/gw-answer/policies", null).statusCode());
    }

    @Test
    public void anUnknownGatewayIsNotFound() throws Exception {
        fleet();
        assertEquals(404, api("GET", "/api/gateways/gw-nobody/reports", auth()).statusCode());
        assertEquals(404, api("GET", "/api/gateways/gw-nobody/policies", auth()).statusCode());
        assertEquals(404, api("POST", "/api/gateways/gw-nobody/rebirth", auth()).statusCode());
    }

    @Test
    public void aGatewayWithoutRolloutsHasAnEmptyPolicyHistory() throws Exception {
        fleet();
        HttpResponse<String> r = api("GET", "/api/gateways/gw-history/policies", auth());
        assertEquals(200, r.statusCode());
        assertEquals(0, JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("policies").size());
    }

    /** gw-answer rejected generation 41 (a rollout to it alone), once per class. */
    private long rejectedRollout() {
        synchronized (LOCK) {
            for (RolloutOutcome o : rollouts.deviceOutcomes("gw-answer", 10)) {
                return o.rolloutId();
            }
            Rollout r = rollouts.createRollout(41, new Rollout.Target(Rollout.Target.Kind.DEVICE, "gw-answer"),
                    RolloutPlan.immediate(), -1, List.of("gw-answer"), Instant.now());
            rollouts.updateOutcomes(List.of(new RolloutOutcome(r.id(), "gw-answer", RolloutOutcome.State.REJECTED,
                    "invalid: cache.max.bytes", Instant.now())));
            return r.id();
        }
    }

    @Test
    public void thePolicyHistoryNamesEachRolloutAndWhatTheGatewayDid() throws Exception {
        fleet();
        long id = rejectedRollout();
        JsonArray policies = JsonParser.parseString(api("GET", "/api/gateways/gw-answer/policies", auth()).body())
                .getAsJsonObject().getAsJsonArray("policies");
        assertEquals(1, policies.size());
        JsonObject p = policies.get(0).getAsJsonObject();
        assertEquals(id, p.get("rolloutId").getAsLong());
        assertEquals(41, p.get("generation").getAsLong());
        assertEquals("REJECTED", p.get("state").getAsString());
        assertEquals("invalid: cache.max.bytes", p.get("detail").getAsString());
    }

    @Test
    public void thePageShowsThePolicyHistory() throws Exception {
        fleet();
        rejectedRollout();
        String dom = HeadlessChromium.dom("http://127.0.0.1:" + httpPort(context) + "/gateway.html?id=gw-answer#token="
                + auth().substring("Bearer ".length()));
        assertTrue(dom, dom.contains("<td>REJECTED</td><td>invalid: cache.max.bytes</td>"));
        assertTrue(dom, dom.contains("<td class=\"num\">41</td>"));
    }

    @Test
    public void aRebirthAskIsAnsweredByTheGatewaysNextReport() throws Exception {
        fleet();
        Instant askedAt = rebirthRoundTrip();
        JsonObject detail = JsonParser.parseString(api("GET", "/api/gateways/gw-answer", auth()).body())
                .getAsJsonObject();
        assertEquals(askedAt, Instant.parse(detail.get("fullReportAskedAt").getAsString()));
        JsonObject newest = history("gw-answer", "?limit=1").getAsJsonArray("reports").get(0).getAsJsonObject();
        assertTrue(newest.getAsJsonObject("report").get("bytesSaved").getAsLong() > 1000);
    }

    @Test
    public void thePageShowsTheHistoryAndTheAnsweredAsk() throws Exception {
        fleet();
        rebirthRoundTrip();
        String dom = HeadlessChromium.dom("http://127.0.0.1:" + httpPort(context) + "/gateway.html?id=gw-answer#token="
                + auth().substring("Bearer ".length()));
        assertTrue(dom, dom.contains("id=\"rebirth-state\" data-state=\"answered\""));
        Matcher rows = HISTORY_ROW.matcher(dom);
        int count = 0;
        while (rows.find()) {
            count++;
        }
        assertTrue("the first report and the answer in the history: " + count, count >= 2);
        assertTrue("a button to ask again", dom.contains("id=\"rebirth\""));
    }

    @Test
    public void thePagesScriptsComeFromThePlatformWithAStrictPolicy() throws Exception {
        fleet();
        HttpResponse<String> page = api("GET", "/gateway.html", null);
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp, csp.contains("script-src 'self'"));
        assertFalse(csp, csp.matches(".*script-src[^;]*unsafe-inline.*"));
        assertFalse("no inline script", page.body().contains("<script>"));
        HttpResponse<String> script = api("GET", "/console.js", null);
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    }
}
