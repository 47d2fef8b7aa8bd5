package io.edgeshare.metrics.itest;

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
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.After;
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

import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The bundle as the platform runs it: the shipped {@code provisioning/platform/config/edgeshare.metrics.cfg}
 * moves {@code /metrics} into the operator-guarded context {@code edgeshare-platform-api} (here a minimal
 * bearer-token guard standing in for platform-fleet's), so it answers at {@code /api/metrics} with the token
 * only. A telemetry source {@code fleet} publishes figures the way platform-fleet is to, histogram included.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformMetricsIT {

    private static final String TOKEN = "operator-token-for-the-test";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Configuration
    public Option[] config() throws IOException {
        Path instance = Files.createTempDirectory("edgeshare-metrics-platform-it");
        return options(core(), http(freePort()), gson(), ourBundle("api"), bundleUnderTest(),
                systemProperty("edgeshare.instance.dir").value(instance.toString()));
    }

    /** Checks {@code Authorization: Bearer} like the K3 guard; everything else is the guard's own business. */
    static final class BearerGuard extends ServletContextHelper {
        @Override
        public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
                return true;
            }
            response.setStatus(401);
            response.setHeader("WWW-Authenticate", "Bearer");
            return false;
        }
    }

    /** Publishes like platform-fleet is to: fleet size, reports, push latency histogram (no +Inf: derived). */
    static final class FleetFigures implements TelemetrySource {
        @Override
        public String name() {
            return "fleet";
        }

        @Override
        public TelemetrySnapshot snapshot() {
            return new TelemetrySnapshot("fleet", Instant.now(), Map.of("gateways", 3, "reports", 42L,
                    "push.latency.seconds.bucket.le.0.05", 1, "push.latency.seconds.bucket.le.0.1", 3,
                    "push.latency.seconds.bucket.le.0.5", 4, "push.latency.seconds.sum", 0.6,
                    "push.latency.seconds.count", 5), Map.of());
        }
    }

    @Before
    public void platformSetup() throws Exception {
        Dictionary<String, Object> ctx = new Hashtable<>();
        ctx.put("osgi.http.whiteboard.context.name", "edgeshare-platform-api");
        ctx.put("osgi.http.whiteboard.context.path", "/api");
        registrations.add(context.registerService(ServletContextHelper.class, new BearerGuard(), ctx));
        registrations.add(context.registerService(TelemetrySource.class, new FleetFigures(), null));
        Properties shipped = new Properties();
        Path cfg = Path.of(System.getProperty("edgeshare.root", "../.."), "provisioning", "platform", "config",
                "edgeshare.metrics.cfg");
        try (Reader r = Files.newBufferedReader(cfg)) {
            shipped.load(r);
        }
        Dictionary<String, Object> props = new Hashtable<>();
        shipped.forEach((k, v) -> props.put((String) k, v));
        configAdmin.getConfiguration("edgeshare.metrics", "?").update(props);
    }

    @After
    public void platformTeardown() throws Exception {
        configAdmin.getConfiguration("edgeshare.metrics", "?").delete();
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + httpPort(context) + path;
    }

    @Test
    public void operatorTokenGetsMetricsPromtoolAccepts() throws Exception {
        assertAllBundlesActive(context);
        Scrape.Answer a = Scrape.await(200, "-H", "Authorization: Bearer " + TOKEN, url("/api/metrics"));
        Scrape.promtoolAccepts(a.body());
        Map<String, Double> s = Scrape.series(a.body());
        Map<String, String> types = Scrape.types(a.body());
        assertEquals("gauge", types.get("edgeshare_fleet_gateways"));
        assertEquals(3, s.get("edgeshare_fleet_gateways"), 0);
        assertEquals("counter", types.get("edgeshare_fleet_reports_total"));
        assertEquals(42, s.get("edgeshare_fleet_reports_total"), 0);
        assertEquals("histogram", types.get("edgeshare_fleet_push_latency_seconds"));
        assertEquals(3, s.get("edgeshare_fleet_push_latency_seconds_bucket{le=0.1}"), 0);
        assertEquals(5, s.get("edgeshare_fleet_push_latency_seconds_bucket{le=+Inf}"), 0);
        assertEquals(0.6, s.get("edgeshare_fleet_push_latency_seconds_sum"), 1e-9);
        assertEquals(5, s.get("edgeshare_fleet_push_latency_seconds_count"), 0);
    }

    @Test
    public void noTokenIsRefused() throws Exception {
        assertAllBundlesActive(context);
        Scrape.await(200, "-H", "Authorization: Bearer " + TOKEN, url("/api/metrics"));
        assertEquals(401, Scrape.curl(url("/api/metrics")).status());
        assertEquals(401, Scrape.curl("-H", "Authorization: Bearer wrong", url("/api/metrics")).status());
    }

    @Test
    public void notServedOutsideTheGuardedContext() throws Exception {
        assertAllBundlesActive(context);
        Scrape.await(200, "-H", "Authorization: Bearer " + TOKEN, url("/api/metrics"));
        assertEquals(404, Scrape.curl(url("/metrics")).status());
    }

    @Test
    public void shippedAccessLogRecordsOperatorScrapesWithoutTheToken() throws Exception {
        assertAllBundlesActive(context);
        Path log = Path.of(context.getProperty("edgeshare.instance.dir"), "data", "log", "access.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        boolean logged = false;
        while (!logged) {
            assertTrue("no access log line for /api/metrics", System.nanoTime() < deadline);
            Scrape.curl("-H", "Authorization: Bearer " + TOKEN, url("/api/metrics"));
            logged = Files.exists(log) && Files.readAllLines(log).stream()
                    .anyMatch(l -> l.matches("^127\\.0\\.0\\.1 - - \\[[^\\]]+\\] \"GET /api/metrics HTTP/1\\.1\" 200 (\\d+|-)$"));
            if (!logged) {
                Thread.sleep(100);
            }
        }
        assertFalse(Files.readString(log).contains(TOKEN));
    }
}
