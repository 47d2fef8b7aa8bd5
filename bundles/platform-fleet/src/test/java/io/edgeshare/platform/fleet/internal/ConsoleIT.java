package io.edgeshare.platform.fleet.internal;

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
import static org.junit.Assert.assertFalse;
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
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.edgeshare.testsupport.MosquittoBroker;

/**
 * The operator's console and fleet API in Felix, fed by a real Mosquitto, rendered by headless Chromium: it
 * asks for the operator token, says when it is wrong, and shows a gateway's {@code javascript:} portal URL
 * (attack 4) as text, never as a link.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleIT {
    private static final String EVIL_URL = "javascript:alert(document.domain)//";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private static MosquittoBroker broker;

    @Configuration
    public Option[] config() throws IOException {
        String instance = Files.createTempDirectory("edgeshare-console-it").toString();
        return options(core(), http(freePort()), gson(), paho(), ourBundle("api"), ourBundle("protocol"),
                ourBundle("platform-session"), ourBundle("platform-store"),
                mavenBundle("org.osgi", "org.osgi.service.jdbc", System.getProperty("edgeshare.osgi.jdbc.version")),
                mavenBundle("com.h2database", "h2", System.getProperty("edgeshare.h2.version")),
                mavenBundle("org.postgresql", "postgresql", System.getProperty("edgeshare.postgresql.version")),
                bundleUnderTest(),
                systemProperty("edgeshare.instance.dir").value(instance));
    }

    private String base() {
        return "http://127.0.0.1:" + httpPort(context);
    }

    private Path tokenFile() {
        return Path.of(context.getProperty("edgeshare.instance.dir"), "data", "operator.token");
    }

    private String token() throws Exception {
        return StoreBackedFleet.operatorToken(context);
    }

    private HttpResponse<String> api(String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A fleet where two gateways announced themselves, once per class: the one with a javascript: portal URL is
     * refused by the protocol, the other (hostile text in its profile) is listed.
     */
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
        MqttClient fake = new MqttClient(broker.uri(), "it-fake-gateway", new MemoryPersistence());
        fake.connect();
        birth(fake, "gw-evil", EVIL_URL);
        birth(fake, "gw-good", "http://127.0.0.1:9/portal?a=1&b=<2>");
        fake.disconnect();
        fake.close();
        String auth = "Bearer " + token();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!listed("gw-good", auth) || JsonParser.parseString(api("/api/gateways", auth).body())
                .getAsJsonObject().get("rejectedMessages").getAsLong() < 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the platform never listed gw-good and refused gw-evil");
            }
            Thread.sleep(100);
        }
    }

    private boolean listed(String id, String auth) throws Exception {
        return api("/api/gateways/" + id, auth).statusCode() == 200;
    }

    private static void birth(MqttClient c, String id, String portal) throws Exception {
        JsonObject o = new JsonObject();
        o.addProperty("state", "online");
        o.addProperty("deviceId", id);
        o.addProperty("seq", 1);
        o.addProperty("model", "it");
        o.addProperty("profile", "<b>mall-ap</b>");
        JsonObject loc = new JsonObject();
        loc.addProperty("lat", 48.86);
        loc.addProperty("lon", 2.33);
        o.add("location", loc);
        o.addProperty("portalUrl", portal);
        c.publish("edgeshare/v1/gw/" + id + "/presence", o.toString().getBytes(StandardCharsets.UTF_8), 1, true);
    }

    @Test
    public void theFleetApiNeedsTheOperatorToken() throws Exception {
        fleet();
        HttpResponse<String> refused = api("/api/gateways", null);
        assertEquals(401, refused.statusCode());
        assertEquals("token-required", JsonParser.parseString(refused.body()).getAsJsonObject().get("error")
                .getAsString());
        assertEquals(200, api("/api/gateways", "Bearer " + token()).statusCode());
    }

    @Test
    public void theGeneratedTokenFileIsOwnerOnly() throws Exception {
        token();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile())));
    }

    @Test
    public void aJavascriptPortalUrlIsShownAsTextNotAsALink() throws Exception {
        fleet();
        String dom = HeadlessChromium.dom(base() + "/#token=" + token());
        assertTrue(dom, dom.contains("gw-good"));
        assertFalse("the protocol refused the javascript: URL", dom.contains(EVIL_URL));
        assertFalse(dom, dom.contains("href=\"javascript:"));
        assertTrue("a web portal URL stays a link", dom.contains("href=\"http://127.0.0.1:9/portal?a=1&amp;b=%3C2%3E\""));
        assertTrue("what a gateway claims is escaped", dom.contains("&lt;b&gt;mall-ap&lt;/b&gt;"));
    }

    @Test
    public void theOperatorDecommissionsAGateway() throws Exception {
        fleet();
        MqttClient fake = new MqttClient(broker.uri(), "it-fake-doomed", new MemoryPersistence());
        fake.connect();
        birth(fake, "gw-doomed", "http://127.0.0.1:9/");
        fake.disconnect();
        fake.close();
        String auth = "Bearer " + token();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!listed("gw-doomed", auth)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gw-doomed never listed");
            }
            Thread.sleep(100);
        }
        HttpResponse<String> deleted = send("DELETE", "/api/gateways/gw-doomed", auth);
        assertEquals(200, deleted.statusCode());
        assertTrue(JsonParser.parseString(deleted.body()).getAsJsonObject().get("decommissioned").getAsBoolean());
        assertEquals(404, api("/api/gateways/gw-doomed", auth).statusCode());
    }

    @Test
    public void aStrangerCannotDecommission() throws Exception {
        fleet();
        HttpResponse<String> refused = send("DELETE", "/api/gateways/gw-good", null);
        assertEquals(401, refused.statusCode());
        assertEquals(200, api("/api/gateways/gw-good", "Bearer " + token()).statusCode());
    }

    @Test
    public void theFleetListIsPaged() throws Exception {
        fleet();
        JsonObject page = JsonParser.parseString(api("/api/gateways?limit=1", "Bearer " + token()).body())
                .getAsJsonObject();
        assertEquals(1, page.getAsJsonArray("gateways").size());
        assertTrue(page.get("total").getAsLong() >= 1);
    }

    @Test
    public void aBadPageSizeIsABadQuery() throws Exception {
        fleet();
        HttpResponse<String> bad = api("/api/gateways?limit=5000", "Bearer " + token());
        assertEquals(400, bad.statusCode());
        assertEquals("bad-query", JsonParser.parseString(bad.body()).getAsJsonObject().get("error").getAsString());
    }

    private HttpResponse<String> send(String method, String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void withoutATokenTheConsoleAsksForOne() throws Exception {
        fleet();
        String dom = HeadlessChromium.dom(base() + "/");
        assertTrue(dom, dom.contains("data-state=\"token-needed\""));
        assertFalse(dom, dom.contains("gw-evil"));
    }

    @Test
    public void aWrongTokenIsSaidToBeWrong() throws Exception {
        fleet();
        String dom = HeadlessChromium.dom(base() + "/#token=not-the-token");
        assertTrue(dom, dom.contains("data-state=\"token-wrong\""));
        assertFalse(dom, dom.contains("gw-evil"));
    }
}
