package io.edgeshare.platform.fleet.internal;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.httpPort;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
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

import io.edgeshare.api.ap.GeoLocation;
import io.edgeshare.api.fleet.FleetStore;
import io.edgeshare.api.fleet.GatewayBirth;
import io.edgeshare.api.fleet.GatewayReport;
import io.edgeshare.testsupport.MosquittoBroker;

/**
 * The console for thousands, in Felix with a real Mosquitto, rendered by headless Chromium: a fleet of 10,000
 * gateways seeded into the store (births and reports, one transaction per 1,000), plus two real gateways near
 * each other announced over MQTT so one has a nearby list. The list is paged and searchable on the server, a
 * gateway's page shows its report and nearby list, and a stranger without the token gets nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleScaleIT {
    private static final int FLEET = 10_000;
    private static final Pattern ROW = Pattern.compile("data-gateway=\"([^\"]+)\"");

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private FleetStore store;

    private static MosquittoBroker broker;

    @Configuration
    public Option[] config() throws IOException {
        return StoreBackedFleet.options("console-scale-it");
    }

    @AfterClass
    public static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    private static String id(int i) {
        return String.format("gw-%05d", i);
    }

    /** Seeds the fleet once per class and waits until near-a's nearby list names near-b. */
    private synchronized void fleet() throws Exception {
        assertAllBundlesActive(context);
        if (broker != null) {
            return;
        }
        broker = MosquittoBroker.start();
        Dictionary<String, Object> d = new Hashtable<>();
        d.put("broker.uri", broker.uri());
        configAdmin.getConfiguration("edgeshare.platform.fleet", "?").update(d);
        configAdmin.getConfiguration("edgeshare.platform.session", "?").update(d); // the node's broker session
        Instant at = Instant.now();
        for (int from = 0; from < FLEET; from += 1000) {
            List<GatewayBirth> births = new ArrayList<>();
            List<GatewayReport> reports = new ArrayList<>();
            for (int i = from; i < from + 1000; i++) {
                births.add(new GatewayBirth(id(i), 1, at, "it", i % 2 == 0 ? "home-gateway" : "mall-ap", "1.0",
                        new GeoLocation(40 + i / 100 * 0.01, 2 + i % 100 * 0.01), "http://127.0.0.1:9/", List.of()));
                reports.add(new GatewayReport(id(i), at, report(id(i), i * 1000L, i % 7, 3)));
            }
            store.births(births);
            store.reports(reports);
        }
        MqttClient fake = new MqttClient(broker.uri(), "it-scale-gateways", new MemoryPersistence());
        fake.connect();
        birth(fake, "near-a", 48.8600, 2.3300);
        birth(fake, "near-b", 48.8605, 2.3305);
        fake.disconnect();
        fake.close();
        String auth = "Bearer " + token();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!detail("near-a", auth).getAsJsonArray("nearby").toString().contains("near-b")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("near-a never got a nearby list with near-b");
            }
            Thread.sleep(100);
        }
        store.report("near-a", report("near-a", 123_456_789L, 5, 7), Instant.now());
    }

    private static String report(String id, long bytesSaved, int listeners, int generation) {
        JsonObject r = new JsonObject();
        r.addProperty("deviceId", id);
        r.addProperty("msgId", 1);
        r.addProperty("seq", 1);
        r.addProperty("ts", Instant.now().toString());
        r.addProperty("bytesSaved", bytesSaved);
        JsonObject sources = new JsonObject();
        sources.add("audio", source("listeners", listeners));
        sources.add("policy", source("generation.running", generation));
        r.add("sources", sources);
        return r.toString();
    }

    private static JsonObject source(String metric, long value) {
        JsonObject m = new JsonObject();
        m.addProperty(metric, value);
        JsonObject s = new JsonObject();
        s.addProperty("at", Instant.now().toString());
        s.add("metrics", m);
        s.add("labels", new JsonObject());
        return s;
    }

    private static void birth(MqttClient c, String id, double lat, double lon) throws Exception {
        JsonObject o = new JsonObject();
        o.addProperty("state", "online");
        o.addProperty("deviceId", id);
        o.addProperty("seq", 1);
        o.addProperty("profile", "home-gateway");
        JsonObject loc = new JsonObject();
        loc.addProperty("lat", lat);
        loc.addProperty("lon", lon);
        o.add("location", loc);
        o.addProperty("portalUrl", "http://127.0.0.1:9/" + id + "/");
        c.publish("edgeshare/v1/gw/" + id + "/presence", o.toString().getBytes(StandardCharsets.UTF_8), 1, true);
    }

    private String base() {
        return "http://127.0.0.1:" + httpPort(context);
    }

    private String token() throws Exception {
        return StoreBackedFleet.operatorToken(context);
    }

    private HttpResponse<String> api(String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject detail(String id, String auth) throws Exception {
        return JsonParser.parseString(api("/api/gateways/" + id, auth).body()).getAsJsonObject();
    }

    /** The gateway rows the console rendered, in order. */
    private static List<String> rows(String dom) {
        List<String> out = new ArrayList<>();
        Matcher m = ROW.matcher(dom);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    public void theApiAnswersOnePageWithEachGatewaysSummary() throws Exception {
        fleet();
        JsonObject page = JsonParser.parseString(api("/api/gateways?limit=100&after=" + id(4999),
                "Bearer " + token()).body()).getAsJsonObject();
        assertEquals(FLEET + 2, page.get("total").getAsLong());
        JsonArray gateways = page.getAsJsonArray("gateways");
        assertEquals(100, gateways.size());
        JsonObject first = gateways.get(0).getAsJsonObject();
        assertEquals(id(5000), first.get("deviceId").getAsString());
        assertEquals(5_000_000L, first.getAsJsonObject("summary").get("bytesSaved").getAsLong());
        assertEquals(5000 % 7, first.getAsJsonObject("summary").get("listeners").getAsLong());
        assertEquals(3, first.getAsJsonObject("summary").get("policyGeneration").getAsLong());
        assertEquals(id(5099), page.get("next").getAsString());
    }

    @Test
    public void theConsoleShowsOnePageOfTheFleet() throws Exception {
        fleet();
        String dom = HeadlessChromium.dom(base() + "/?after=" + id(99) + "#token=" + token());
        List<String> rows = rows(dom);
        assertEquals(100, rows.size());
        assertEquals(id(100), rows.get(0));
        assertEquals(id(199), rows.get(99));
        assertTrue(dom, dom.contains("10,002 gateways"));
        assertTrue("a nav link to the rollouts page", dom.contains("href=\"/rollouts.html\""));
    }

    @Test
    public void theConsoleSearchFindsOneGatewayAmongTenThousand() throws Exception {
        fleet();
        String dom = HeadlessChromium.dom(base() + "/?q=" + id(4242) + "#token=" + token());
        assertEquals(List.of(id(4242)), rows(dom));
        assertTrue("its bytes saved, from its last report", dom.contains("4.2 MB"));
    }

    @Test
    public void theConsoleFiltersByProfileOnTheServer() throws Exception {
        fleet();
        String dom = HeadlessChromium.dom(base() + "/?profile=mall-ap#token=" + token());
        List<String> rows = rows(dom);
        assertEquals(100, rows.size());
        assertEquals(id(1), rows.get(0));
        assertEquals(id(3), rows.get(1));
    }

    @Test
    public void theGatewayPageShowsItsReportAndNearbyList() throws Exception {
        fleet();
        String dom = HeadlessChromium.dom(base() + "/gateway.html?id=near-a#token=" + token());
        assertTrue(dom, dom.contains("<td>near-b</td>"));
        assertTrue("bytes saved from its last report", dom.contains("123456789"));
        assertTrue("the policy generation it runs", dom.contains("<td>Generation running</td><td>7</td>"));
        assertTrue("a decommission command", dom.contains("id=\"decommission\""));
    }

    @Test
    public void aStrangerWithoutTheTokenGetsNoGatewayData() throws Exception {
        fleet();
        HttpResponse<String> refused = api("/api/gateways/" + id(4242), null);
        assertEquals(401, refused.statusCode());
        assertFalse(refused.body().contains(id(4242)));
        assertEquals(401, api("/api/gateways?q=" + id(4242), null).statusCode());
        String dom = HeadlessChromium.dom(base() + "/gateway.html?id=" + id(4242));
        assertTrue(dom, dom.contains("data-state=\"token-needed\""));
        assertFalse("no report data in the page", dom.contains("4242000"));
    }
}
