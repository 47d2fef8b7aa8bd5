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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.After;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The bundle as a gateway runs it, with the real Jetty whiteboard and DS: {@code /metrics} for the admin
 * addresses only (a client bound to 127.0.0.2 is a stranger), {@code /health} open and following DS, the
 * access log off until configured.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class GatewayMetricsIT {

    private static final Pattern CLF = Pattern.compile(
            "^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"(\\S+) (\\S+) (\\S+)\" (\\d{3}) (\\d+|-)$");

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private ServiceRegistration<Runnable> needed;

    @Configuration
    public Option[] config() throws IOException {
        Path instance = Files.createTempDirectory("edgeshare-metrics-it");
        return options(core(), http(freePort()), gson(), ourBundle("api"), bundleUnderTest(),
                systemProperty("edgeshare.instance.dir").value(instance.toString()));
    }

    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader("Service-Component", "OSGI-INF/required-part.xml");
        return probe;
    }

    @After
    public void withdraw() {
        if (needed != null) {
            needed.unregister();
            needed = null;
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + httpPort(context) + path;
    }

    private void provideNeededService() {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("edgeshare.itest", "required");
        needed = context.registerService(Runnable.class, () -> { }, p);
    }

    @Test
    public void adminGetsMetricsPromtoolAccepts() throws Exception {
        assertAllBundlesActive(context);
        Scrape.Answer a = Scrape.await(200, url("/metrics"));
        Scrape.promtoolAccepts(a.body());
        assertEquals("counter", Scrape.types(a.body()).get("edgeshare_metrics_scrapes_total"));
        assertTrue(Scrape.series(a.body()).get("edgeshare_metrics_scrapes_total") >= 1);
    }

    @Test
    public void strangerIsRefusedAndCounted() throws Exception {
        assertAllBundlesActive(context);
        double before = Scrape.series(Scrape.await(200, url("/metrics")).body())
                .get("edgeshare_metrics_refused_requests_total");
        Scrape.Answer refused = Scrape.curl("--interface", "127.0.0.2", url("/metrics"));
        assertEquals(refused.body(), 403, refused.status());
        assertEquals("forbidden", JsonParser.parseString(refused.body()).getAsJsonObject().get("error").getAsString());
        double after = Scrape.series(Scrape.curl(url("/metrics")).body()).get("edgeshare_metrics_refused_requests_total");
        assertEquals(before + 1, after, 0);
    }

    @Test
    public void readinessFollowsARequiredComponent() throws Exception {
        assertAllBundlesActive(context);
        provideNeededService();
        JsonObject ready = json(Scrape.await(200, url("/health")));
        assertEquals("ready", ready.get("status").getAsString());
        assertEquals(0, ready.getAsJsonArray("failing").size());

        withdraw();
        JsonObject unready = json(Scrape.await(503, url("/health")));
        assertEquals("not-ready", unready.get("status").getAsString());
        List<JsonElement> failing = unready.getAsJsonArray("failing").asList();
        assertEquals(unready.toString(), 1, failing.size());
        JsonObject part = failing.get(0).getAsJsonObject();
        assertEquals("component:io.edgeshare.metrics.itest.RequiredPart", part.get("name").getAsString());
        assertEquals("down", part.get("status").getAsString());
        assertEquals("missing reference needed", part.get("detail").getAsString());
    }

    @Test
    public void livenessHoldsWhileNotReady() throws Exception {
        assertAllBundlesActive(context);
        Scrape.await(503, url("/health"));
        Scrape.Answer live = Scrape.curl(url("/health/live"));
        assertEquals(200, live.status());
        assertEquals("live", json(live).get("status").getAsString());
    }

    @Test
    public void healthIsOpenToStrangersAndNamesNoAddress() throws Exception {
        assertAllBundlesActive(context);
        provideNeededService();
        Scrape.Answer a = Scrape.await(200, "--interface", "127.0.0.2", url("/health"));
        JsonObject body = json(a);
        assertEquals("ready", body.get("status").getAsString());
        for (JsonElement p : body.getAsJsonArray("parts")) {
            String detail = p.getAsJsonObject().get("detail").getAsString();
            assertFalse(detail, detail.matches(".*\\d+\\.\\d+\\.\\d+\\.\\d+.*"));
        }
    }

    @Test
    public void accessLog1IsOffByDefault() throws Exception {
        assertAllBundlesActive(context);
        String path = "/health/off-" + System.nanoTime();
        assertEquals(404, Scrape.curl(url(path)).status());
        assertFalse(Files.exists(accessLog()));
    }

    @Test
    public void accessLog2WritesCommonLogFormatWhenEnabled() throws Exception {
        assertAllBundlesActive(context);
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("edgeshare.metrics", "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("access.log.enabled", "true");
        c.update(p);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            Matcher line = null;
            while (line == null) {
                assertTrue("no access log line", System.nanoTime() < deadline);
                Scrape.Answer a = Scrape.curl(url("/health/live?token=s3cret"));
                assertEquals(200, a.status());
                line = lastLine("/health/live");
                if (line == null) {
                    Thread.sleep(100);
                }
            }
            assertEquals("127.0.0.1", line.group(1));
            assertEquals("-", line.group(3));
            ZonedDateTime.parse(line.group(4), DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH));
            assertEquals("GET", line.group(5));
            assertEquals("/health/live", line.group(6));
            assertEquals("HTTP/1.1", line.group(7));
            assertEquals("200", line.group(8));
            assertEquals(Integer.toString("{\"status\":\"live\"}".length()), line.group(9));
        } finally {
            c.delete();
        }
    }

    /** The last CLF line for a path, parsed; fails on a line that is not CLF. */
    private Matcher lastLine(String path) throws IOException {
        if (!Files.exists(accessLog())) {
            return null;
        }
        Matcher last = null;
        for (String l : Files.readAllLines(accessLog())) {
            Matcher m = CLF.matcher(l);
            assertTrue("not common log format: " + l, m.matches());
            assertFalse("query strings stay out of the log: " + l, l.contains("s3cret"));
            if (m.group(6).equals(path)) {
                last = m;
            }
        }
        return last;
    }

    private Path accessLog() {
        return Path.of(context.getProperty("edgeshare.instance.dir"), "data", "log", "access.log");
    }

    private static JsonObject json(Scrape.Answer a) {
        return JsonParser.parseString(a.body()).getAsJsonObject();
    }

}
