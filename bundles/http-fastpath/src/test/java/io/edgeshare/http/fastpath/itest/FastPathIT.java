package io.edgeshare.http.fastpath.itest;

import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.freePort;
import static io.edgeshare.testsupport.EdgeShareOptions.gson;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.httpPort;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.servlet.whiteboard.Preprocessor;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The fast route for {@code /content/{id}} (cache's Jetty core handler, mounted by this bundle) in Felix with the
 * real Jetty whiteboard and http-hygiene: it is the one serving stored items (the cache's {@code requests.fast}
 * counter), answers exactly what the whiteboard answers, leaves everything else to the whiteboard, and without
 * this bundle the whiteboard serves as before.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FastPathIT {

    private static final String SELF = "io.edgeshare.http.fastpath";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() throws IOException {
        Path instance = Files.createTempDirectory("edgeshare-fastpath-it");
        return options(core(), http(freePort()), gson(), ourBundle("api"), ourBundle("cache"),
                ourBundle("http-hygiene"), bundleUnderTest(),
                systemProperty("edgeshare.instance.dir").value(instance.toString()));
    }

    private String base() {
        return "http://127.0.0.1:" + httpPort(context);
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String importItem(String title, byte[] body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base() + "/api/cache/import?title="
                + URLEncoder.encode(title, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 201, r.statusCode());
        return JsonParser.parseString(r.body()).getAsJsonObject().get("id").getAsString();
    }

    private long fastServed() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/api/cache/status");
        JsonObject status = JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8)).getAsJsonObject();
        return status.getAsJsonObject("metrics").get("requests.fast").getAsLong();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 131 + seed + (i >> 12));
        }
        return b;
    }

    private static void awaitTrue(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private Bundle self() {
        for (Bundle b : context.getBundles()) {
            if (SELF.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(SELF + " not installed");
    }

    /** Runs {@code body} with this bundle stopped (the whiteboard alone), then starts it again. */
    private <T> T withoutFastRoute(Callable<T> body) throws Exception {
        self().stop();
        try {
            return body.call();
        } finally {
            self().start();
        }
    }

    @Test
    public void theFastRouteServesAStoredItem() throws Exception {
        byte[] body = bytes(64 * 1024, 1);
        String id = importItem("fast.mp4", body);
        awaitTrue(() -> {
            long before = fastServed();
            HttpResponse<byte[]> r = send("GET", "/content/" + id);
            return r.statusCode() == 200 && fastServed() == before + 1;
        }, "the fast route to serve /content/" + id);
        HttpResponse<byte[]> r = send("GET", "/content/" + id);
        assertArrayEquals(body, r.body());
        assertEquals("HIT", r.headers().firstValue("X-Cache").orElse(""));
    }

    @Test
    public void withoutTheFastRouteTheWhiteboardStillServes() throws Exception {
        byte[] body = bytes(300 * 1024, 2);
        String id = importItem("fallback.mp4", body);
        withoutFastRoute(() -> {
            long before = fastServed();
            HttpResponse<byte[]> r = send("GET", "/content/" + id);
            assertEquals(200, r.statusCode());
            assertArrayEquals(body, r.body());
            assertEquals(before, fastServed());
            return null;
        });
    }

    @Test
    public void requestsItCannotAnswerGoToTheWhiteboard() throws Exception {
        String id = importItem("declined.mp4", bytes(1000, 3));
        awaitTrue(() -> {
            long before = fastServed();
            send("GET", "/content/" + id);
            return fastServed() == before + 1;
        }, "the fast route to be mounted");
        long before = fastServed();
        HttpResponse<byte[]> trace = send("TRACE", "/content/" + id);
        assertEquals(405, trace.statusCode());
        assertEquals("GET, HEAD, POST, PUT, DELETE, OPTIONS", trace.headers().firstValue("Allow").orElse(""));
        assertEquals(400, send("GET", "/content/fetch").statusCode());
        HttpResponse<byte[]> missing = send("GET", "/content/nosuchitem");
        assertEquals(404, missing.statusCode());
        assertEquals("not-found", JsonParser.parseString(new String(missing.body(), StandardCharsets.UTF_8))
                .getAsJsonObject().get("error").getAsString());
        assertEquals(400, send("GET", "/content").statusCode());
        assertEquals(before, fastServed());
    }

    @Test
    public void bothRoutesAnswerAlike() throws Exception {
        String video = importItem("alike.mp4", bytes(200 * 1024, 4));
        String page = importItem("alike page.html", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
        String oddName = importItem("\"quoted\" \u00e9t\u00e9 & co.svg",
                "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes(StandardCharsets.UTF_8));
        awaitTrue(() -> {
            long before = fastServed();
            send("GET", "/content/" + video);
            return fastServed() == before + 1;
        }, "the fast route to be mounted");
        HttpResponse<byte[]> first = send("GET", "/content/" + video);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
        String[][] cases = {
            { "GET", video }, { "HEAD", video }, { "GET", page }, { "GET", video, "Range", "bytes=100-4195" },
            { "GET", video, "Range", "bytes=-10" }, { "GET", video, "Range", "bytes=999999-" },
            { "GET", video, "If-None-Match", etag }, { "GET", video, "If-Match", "\"other\"" },
            { "GET", video, "Range", "bytes=0-9", "If-Range", "\"other\"" },
            // the headers worked out once per item (ItemHeaders): dates, an odd title's attachment name
            { "GET", video, "If-Modified-Since", lastModified }, { "GET", video, "If-Unmodified-Since",
                "Thu, 01 Jan 1970 00:00:00 GMT" }, { "GET", video, "Range", "bytes=0-9", "If-Range", lastModified },
            { "GET", oddName }, { "HEAD", page },
        };
        List<String> fast = new ArrayList<>();
        long before = fastServed();
        for (String[] c : cases) {
            fast.add(describe(c));
        }
        assertEquals(before + cases.length, fastServed());
        List<String> whiteboard = withoutFastRoute(() -> {
            List<String> out = new ArrayList<>();
            for (String[] c : cases) {
                out.add(describe(c));
            }
            return out;
        });
        assertEquals(whiteboard, fast);
    }

    @Test
    public void aDownloadPastTheCapIsRefusedWithRetryAfter() throws Exception {
        String big = importItem("capped.mp4", bytes(600_000, 6));
        String small = importItem("capped.mp3", bytes(1000, 7));
        awaitTrue(() -> {
            long before = fastServed();
            send("GET", "/content/" + small);
            return fastServed() == before + 1;
        }, "the fast route to be mounted");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("client.rate.bytes.per.s", 100_000L);
        props.put("max.concurrent.downloads", 1);
        configAdmin.getConfiguration("edgeshare.cache", "?").update(props);
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            awaitTrue(() -> {
                long t = System.nanoTime();
                send("GET", "/content/" + big, "Range", "bytes=0-299999");
                return System.nanoTime() - t > 1_000_000_000L;
            }, "the new rate and cap");
            Future<HttpResponse<byte[]>> running = one.submit(() -> send("GET", "/content/" + big));
            awaitTrue(() -> send("GET", "/content/" + small).statusCode() == 503, "the download cap");
            long before = fastServed();
            HttpResponse<byte[]> busy = send("GET", "/content/" + small);
            assertEquals(before + 1, fastServed());
            assertEquals(503, busy.statusCode());
            assertEquals("5", busy.headers().firstValue("Retry-After").orElse(""));
            assertEquals("busy", JsonParser.parseString(new String(busy.body(), StandardCharsets.UTF_8))
                    .getAsJsonObject().get("error").getAsString());
            assertEquals(200, running.get(30, TimeUnit.SECONDS).statusCode());
        } finally {
            one.shutdownNow();
            configAdmin.getConfiguration("edgeshare.cache", "?").delete();
        }
    }

    /** What the access log preprocessor of the metrics bundle looks like to the route when it is on. */
    private static final class AccessLogStandIn implements Preprocessor {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(request, response);
        }
    }

    @Test
    public void whileAnAccessLogIsOnTheWhiteboardServesSoEveryRequestIsLogged() throws Exception {
        String id = importItem("logged.mp4", bytes(2000, 5));
        awaitTrue(() -> {
            long before = fastServed();
            send("GET", "/content/" + id);
            return fastServed() == before + 1;
        }, "the fast route to be mounted");
        ServiceRegistration<Preprocessor> log = context.registerService(Preprocessor.class, new AccessLogStandIn(),
                new Hashtable<>(Map.of("access.log.enabled", "true")));
        try {
            long before = fastServed();
            HttpResponse<byte[]> r = send("GET", "/content/" + id);
            assertEquals(200, r.statusCode());
            assertEquals(before, fastServed());
        } finally {
            log.unregister();
        }
    }

    /** Status, headers (without Date) and a digest of the body of one request. */
    private String describe(String[] c) throws Exception {
        String[] headers = new String[c.length - 2];
        System.arraycopy(c, 2, headers, 0, headers.length);
        HttpResponse<byte[]> r = send(c[0], "/content/" + c[1], headers);
        Map<String, List<String>> h = new TreeMap<>(r.headers().map());
        h.remove("date");
        return String.join(" ", c) + " -> " + r.statusCode() + " " + h + " body "
                + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(r.body()));
    }
}
