package io.edgeshare.platform.broker.internal;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.freePort;
import static io.edgeshare.testsupport.EdgeShareOptions.gson;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.httpPort;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.servlet.context.ServletContextHelper;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The device enrolment API (K5) in Felix with the real HTTP whiteboard. The platform's guard (K3) belongs to
 * platform-fleet; here a minimal stand-in of the same name checks a bearer token, so the test shows the API is
 * served only inside that context.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DevicesApiIT {
    private static final String TOKEN = "operator-test-token";
    private static ServiceRegistration<ServletContextHelper> guard;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return options(core(), http(freePort()), gson(), ourBundle("api"), bundleUnderTest());
    }

    @Before
    public void configureOnce() throws Exception {
        if (guard != null) {
            return;
        }
        assertAllBundlesActive(context);
        assertEquals("without the platform API context nothing is served", 404, call("GET", "/api/devices", TOKEN,
                null).statusCode());
        Dictionary<String, Object> cfg = new Hashtable<>();
        cfg.put("enabled", false); // the registry and API only; the broker is tested in EmbeddedBrokerAccessIT
        cfg.put("devices.dir", Files.createTempDirectory("devices-api-it").toString());
        configAdmin.getConfiguration("edgeshare.platform.broker", "?").update(cfg);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.context.name", "edgeshare-platform-api");
        props.put("osgi.http.whiteboard.context.path", "/api");
        guard = context.registerService(ServletContextHelper.class, new ServletContextHelper() {
            @Override
            public boolean handleSecurity(HttpServletRequest req, HttpServletResponse resp) {
                if (("Bearer " + TOKEN).equals(req.getHeader("Authorization"))) {
                    return true;
                }
                resp.setStatus(401);
                return false;
            }
        }, props);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (call("GET", "/api/devices", TOKEN, null).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the devices API never answered");
            }
            Thread.sleep(50);
        }
    }

    @Test
    public void enrolmentIssuesAPasswordOnce() throws Exception {
        HttpResponse<String> r = call("POST", "/api/devices", TOKEN, "{\"deviceId\":\"gw-new\"}");
        assertEquals(r.body(), 201, r.statusCode());
        JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
        assertEquals("gw-new", body.get("username").getAsString());
        assertEquals("gw-gw-new", body.get("clientId").getAsString());
        assertTrue(body.get("password").getAsString().length() >= 40);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    public void enrollingAgainRotatesThePassword() throws Exception {
        String first = JsonParser.parseString(call("POST", "/api/devices", TOKEN, "{\"deviceId\":\"gw-again\"}").body())
                .getAsJsonObject().get("password").getAsString();
        HttpResponse<String> r = call("POST", "/api/devices", TOKEN, "{\"deviceId\":\"gw-again\"}");
        assertEquals(200, r.statusCode());
        assertFalse(first.equals(JsonParser.parseString(r.body()).getAsJsonObject().get("password").getAsString()));
    }

    @Test
    public void theListCarriesNoSecret() throws Exception {
        call("POST", "/api/devices", TOKEN, "{\"deviceId\":\"gw-listed\"}");
        JsonArray devices = JsonParser.parseString(call("GET", "/api/devices", TOKEN, null).body()).getAsJsonObject()
                .getAsJsonArray("devices");
        JsonObject listed = null;
        for (var d : devices) {
            assertFalse(d.getAsJsonObject().has("password"));
            if (d.getAsJsonObject().get("deviceId").getAsString().equals("gw-listed")) {
                listed = d.getAsJsonObject();
            }
        }
        assertNotNull(listed);
    }

    @Test
    public void aRevokedDeviceLeavesTheList() throws Exception {
        call("POST", "/api/devices", TOKEN, "{\"deviceId\":\"gw-gone\"}");
        assertEquals(204, call("DELETE", "/api/devices/gw-gone", TOKEN, null).statusCode());
        assertEquals(404, call("DELETE", "/api/devices/gw-gone", TOKEN, null).statusCode());
        assertFalse(call("GET", "/api/devices", TOKEN, null).body().contains("gw-gone"));
    }

    @Test
    public void aBadDeviceIdIsAClearError() throws Exception {
        HttpResponse<String> r = call("POST", "/api/devices", TOKEN, "{\"deviceId\":\"edgeshare-platform\"}");
        assertEquals(400, r.statusCode());
        assertEquals("invalid_device_id", JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString());
    }

    @Test
    public void malformedJsonLeaksNoExceptionText() throws Exception {
        HttpResponse<String> r = call("POST", "/api/devices", TOKEN, "{\"deviceId\":");
        assertEquals(400, r.statusCode());
        JsonObject error = JsonParser.parseString(r.body()).getAsJsonObject();
        assertEquals("bad_request", error.get("error").getAsString());
        assertFalse(r.body(), r.body().contains("Exception") || r.body().contains("gson"));
    }

    @Test
    public void aStrangerCannotEnrol() throws Exception {
        assertEquals(401, call("POST", "/api/devices", null, "{\"deviceId\":\"gw-evil\"}").statusCode());
        assertFalse(call("GET", "/api/devices", TOKEN, null).body().contains("gw-evil"));
    }

    private HttpResponse<String> call(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort(context) + path))
                .timeout(Duration.ofSeconds(10)).method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
