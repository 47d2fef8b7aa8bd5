package io.edgeshare.portal.internal;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.freePort;
import static io.edgeshare.testsupport.EdgeShareOptions.gson;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.httpPort;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

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

import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;

/** The portal in Felix with the real HTTP whiteboard: page, status JSON, identity and telemetry. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PortalIT {
    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return options(core(), http(freePort()), gson(), ourBundle("api"), bundleUnderTest());
    }

    @Test
    public void servesPageAndStatusWithIdentityAndTelemetry() throws Exception {
        assertAllBundlesActive(context);
        Dictionary<String, Object> identity = new Hashtable<>();
        identity.put("device.id", "gw-it-1");
        identity.put("profile", "mall-ap");
        identity.put("location.latitude", 48.5);
        configAdmin.getConfiguration("edgeshare.identity", "?").update(identity);
        context.registerService(TelemetrySource.class, new TelemetrySource() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public TelemetrySnapshot snapshot() {
                return new TelemetrySnapshot("probe", Instant.now(), Map.of("bytes.served", 42L), Map.of());
            }
        }, null);

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int port = httpPort(context);
        HttpResponse<String> page = get(client, port, "/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("EdgeShare"));

        String status = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(client, port, "/api/status");
            assertEquals(200, r.statusCode());
            status = r.body();
            if (status.contains("gw-it-1") && status.contains("\"bytes.served\":42")) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(status, status.contains("\"deviceId\":\"gw-it-1\""));
        assertTrue(status, status.contains("\"profile\":\"mall-ap\""));
        assertTrue(status, status.contains("\"lat\":48.5"));
        assertTrue(status, status.contains("\"bytes.served\":42"));

        HttpResponse<String> missing = get(client, port, "/no/such/thing");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("not found"));
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
