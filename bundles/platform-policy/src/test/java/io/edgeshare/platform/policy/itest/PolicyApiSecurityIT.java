package io.edgeshare.platform.policy.itest;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.awaitService;
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
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

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
 * The attacks of issue 8 on the platform API, replayed against the real policy servlets in the real guarded
 * context (platform-fleet) in Felix, from loopback, with raw HTTP requests an attacker would write. Each one
 * succeeded before the guard existed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PolicyApiSecurityIT {
    private static final String SECRET = "correct horse battery";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws IOException {
        String instance = Files.createTempDirectory("edgeshare-policy-api-it").toString();
        return options(core(), http(freePort()), gson(), paho(), ourBundle("api"), ourBundle("protocol"), ourBundle("platform-session"), ourBundle("platform-fleet"),
                bundleUnderTest(), systemProperty("edgeshare.instance.dir").value(instance));
    }

    private int port() {
        return httpPort(context);
    }

    private String token() throws Exception {
        return OperatorTokenFile.read(context);
    }

    private RawHttp.Response call(String method, String path, Map<String, String> headers, String body)
            throws Exception {
        configured();
        return RawHttp.send(port(), method, path, headers, body);
    }

    private RawHttp.Response operator(String method, String path, String body) throws Exception {
        return call(method, path, Map.of("Authorization", "Bearer " + token(), "Content-Type", "application/json"),
                body);
    }

    /** The policy API up (its servlet registered), connected to a broker when one is given. */
    private void configured() throws Exception {
        assertAllBundlesActive(context);
        if (configAdmin.getConfiguration("edgeshare.platform.policy", "?").getProperties() == null) {
            update("broker.uri", "tcp://127.0.0.1:1");
        }
        awaitStatus("/api/policy-key", 200);
    }

    private void awaitStatus(String path, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (RawHttp.send(port(), "GET", path, Map.of(), null).status() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " never answered " + status);
            }
            Thread.sleep(100);
        }
    }

    private void update(Object... kv) throws Exception {
        Dictionary<String, Object> d = new Hashtable<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        // the node's broker session first: its restart restarts the policy service bound to it, so the policy
        // API is only steady once both have taken their configuration
        configAdmin.getConfiguration("edgeshare.platform.session", "?").update(d);
        awaitService(context, "(&(service.pid=edgeshare.platform.session)(broker.uri=" + d.get("broker.uri") + "))");
        configAdmin.getConfiguration("edgeshare.platform.policy", "?").update(d);
        awaitService(context, "(&(service.pid=edgeshare.platform.policy)(broker.uri=" + d.get("broker.uri") + "))");
    }

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    private static final String POLICY = "{\"policy\":{\"reporting\":{\"intervalSeconds\":20}},\"targets\":\"all\"}";

    @Test
    public void aCrossSitePolicyPushIsRefused() throws Exception {
        RawHttp.Response r = call("POST", "/api/policies", Map.of("Content-Type", "text/plain",
                "Origin", "http://evil.example"), POLICY);
        assertEquals(r.body(), 403, r.status());
        assertEquals("cross-origin", json(r.body()).get("error").getAsString());
    }

    @Test
    public void aPlainTextBodyIsRefusedEvenWithTheToken() throws Exception {
        RawHttp.Response r = call("POST", "/api/policies", Map.of("Content-Type", "text/plain",
                "Authorization", "Bearer " + token()), POLICY);
        assertEquals(r.body(), 415, r.status());
    }

    @Test
    public void noTokenIsRefusedFromLoopback() throws Exception {
        RawHttp.Response r = call("POST", "/api/policies", Map.of("Content-Type", "application/json"), POLICY);
        assertEquals(r.body(), 401, r.status());
        assertEquals("token-required", json(r.body()).get("error").getAsString());
    }

    @Test
    public void aWrongTokenIsRefused() throws Exception {
        RawHttp.Response r = call("POST", "/api/policies", Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + token() + "x"), POLICY);
        assertEquals(r.body(), 401, r.status());
        assertEquals("token-wrong", json(r.body()).get("error").getAsString());
    }

    @Test
    public void aForeignHostNameIsRefused() throws Exception {
        RawHttp.Response r = call("GET", "/api/policies", Map.of("Host", "evil.example",
                "Authorization", "Bearer " + token()), null);
        assertEquals(r.body(), 403, r.status());
        assertEquals("host-not-allowed", json(r.body()).get("error").getAsString());
    }

    @Test
    public void readingAPolicyNeedsTheToken() throws Exception {
        RawHttp.Response r = call("GET", "/api/policies/1", Map.of(), null);
        assertEquals(r.body(), 401, r.status());
    }

    @Test
    public void thePolicyKeyStaysPublic() throws Exception {
        RawHttp.Response r = call("GET", "/api/policy-key", Map.of(), null);
        assertEquals(200, r.status());
        assertEquals("Ed25519", json(r.body()).get("algorithm").getAsString());
    }

    @Test
    public void malformedJsonGetsACleanError() throws Exception {
        RawHttp.Response r = operator("POST", "/api/policies", "{\"policy\": {oops");
        assertEquals(r.body(), 400, r.status());
        JsonObject e = json(r.body());
        assertEquals("invalid-json", e.get("error").getAsString());
        String message = e.get("message").getAsString();
        assertFalse(message, message.toLowerCase().contains("gson"));
        assertFalse(message, message.contains("Exception"));
        assertFalse(message, message.contains("\n"));
    }

    @Test
    public void anUnknownApiPathIsAJsonError() throws Exception {
        RawHttp.Response r = operator("GET", "/api/nothing-here", null);
        assertEquals(404, r.status());
        assertEquals("not-found", json(r.body()).get("error").getAsString());
    }

    @Test
    public void traceIsNotServed() throws Exception {
        RawHttp.Response r = call("TRACE", "/api/policies", Map.of("Authorization", "Bearer " + token()), null);
        assertEquals(405, r.status());
    }

    @Test
    public void anOversizedBodyIsRefused() throws Exception {
        RawHttp.Response r = operator("POST", "/api/policies", "{\"comment\":\"" + "x".repeat(300 * 1024) + "\"}");
        assertEquals(413, r.status());
        assertEquals("body-too-large", json(r.body()).get("error").getAsString());
    }

    @Test
    public void theApPassphraseIsNeverShown() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start()) {
            configured();
            update("broker.uri", broker.uri());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            RawHttp.Response created;
            do {
                created = operator("POST", "/api/policies", "{\"policy\":{\"ap\":{\"ssid\":\"Mall\",\"security\":"
                        + "\"wpa2-psk\",\"passphrase\":\"" + SECRET + "\"}},\"targets\":[\"gw-x\"]}");
                if (created.status() == 201 || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(200); // 503 until the platform reached the broker
            } while (true);
            assertEquals(created.body(), 201, created.status());
            long g = json(created.body()).get("generation").getAsLong();

            RawHttp.Response view = operator("GET", "/api/policies/" + g, null);
            JsonObject v = json(view.body());
            assertEquals("(redacted)", v.getAsJsonObject("policy").getAsJsonObject("ap").get("passphrase")
                    .getAsString());
            assertEquals("(redacted)", v.getAsJsonObject("envelope").get("payload").getAsString());
            assertFalse(view.body(), view.body().contains(SECRET));
            assertFalse(operator("GET", "/api/policies", null).body().contains(SECRET));
            assertFalse(created.body(), created.body().contains(SECRET));
        } finally {
            update("broker.uri", "tcp://127.0.0.1:1");
        }
    }
}
