package io.edgeshare.cache.itest;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.freePort;
import static io.edgeshare.testsupport.EdgeShareOptions.gson;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.httpPort;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Inject;

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

import io.edgeshare.api.ap.NearbySharer;
import io.edgeshare.api.ap.NearbySharers;
import io.edgeshare.api.cache.ContentCatalog;
import io.edgeshare.api.cache.ContentItem;
import io.edgeshare.api.telemetry.TelemetrySnapshot;
import io.edgeshare.api.telemetry.TelemetrySource;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The cache bundle in Felix with the real Jetty whiteboard: import, serving with ranges and conditionals,
 * catalog service and JSON, fetch-through with one origin fetch for many clients, policy changes applied
 * in place while a download runs, telemetry; then curl against the running gateway.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CacheIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private ContentCatalog catalog;

    @Configuration
    public Option[] config() throws IOException {
        Path instance = Files.createTempDirectory("edgeshare-cache-it");
        return options(core(), http(freePort()), gson(), ourBundle("api"), bundleUnderTest(),
                systemProperty("edgeshare.instance.dir").value(instance.toString()));
    }

    /** A slow origin inside the same Jetty: counts the bodies it sends. */
    public static final class OriginServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final AtomicInteger bodies = new AtomicInteger();
        final byte[] body = bytes(3 * 1024 * 1024, 5);

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            bodies.incrementAndGet();
            resp.setContentType("video/mp4");
            resp.setHeader("ETag", "\"origin-1\"");
            resp.setContentLength(body.length);
            try {
                for (int off = 0; off < body.length; off += 128 * 1024) {
                    resp.getOutputStream().write(body, off, Math.min(128 * 1024, body.length - off));
                    resp.getOutputStream().flush();
                    Thread.sleep(30);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 131 + seed + (i >> 12));
        }
        return b;
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private String base() {
        return "http://127.0.0.1:" + httpPort(context);
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private void configure(Object... keyValues) throws Exception {
        Dictionary<String, Object> props = new Hashtable<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        configAdmin.getConfiguration("edgeshare.cache", "?").update(props);
    }

    private String importItem(String title, byte[] body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base() + "/api/cache/import?title="
                + URLEncoder.encode(title, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 201, r.statusCode());
        String sha = sha256(body);
        assertTrue(r.body(), r.body().contains("\"sha256\":\"" + sha + "\""));
        return sha.substring(0, 32);
    }

    static String sha256Unchecked(byte[] b) {
        try {
            return sha256(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
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

    @Test
    public void storesServesFetchesOnceAndAppliesPolicyInPlace() throws Exception {
        assertAllBundlesActive(context);
        awaitTrue(() -> get("/api/catalog").statusCode() == 200, "the servlets");

        // import and serve
        byte[] clip = bytes(1024 * 1024, 1);
        long rev = catalog.revision();
        String id = importItem("clip.mp4", clip);
        assertTrue(catalog.revision() > rev);
        ContentItem item = catalog.items().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
        assertEquals("video/mp4", item.mediaType());
        assertEquals("video", item.category());
        assertEquals(clip.length, item.size());

        HttpResponse<byte[]> full = get("/content/" + id);
        assertEquals(200, full.statusCode());
        assertArrayEquals(clip, full.body());
        assertEquals("video/mp4", full.headers().firstValue("Content-Type").orElse(""));
        assertEquals(Long.toString(clip.length), full.headers().firstValue("Content-Length").orElse(""));
        String etag = full.headers().firstValue("ETag").orElseThrow();
        assertEquals("\"" + item.sha256() + "\"", etag);

        HttpResponse<byte[]> part = get("/content/" + id, "Range", "bytes=1000-1999");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 1000-1999/" + clip.length, part.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(clip, 1000, 2000), part.body());
        assertEquals(416, get("/content/" + id, "Range", "bytes=" + clip.length + "-").statusCode());
        assertEquals(304, get("/content/" + id, "If-None-Match", etag).statusCode());
        assertEquals(200, get("/content/" + id, "Range", "bytes=0-9", "If-Range", "\"old\"").statusCode());
        assertEquals(404, get("/content/ffffffffffffffffffffffffffffffff").statusCode());
        assertEquals(400, get("/content/not.an.id").statusCode());

        String json = new String(get("/api/catalog").body(), StandardCharsets.UTF_8);
        assertTrue(json, json.contains("\"id\":\"" + id + "\"") && json.contains("\"title\":\"clip.mp4\""));

        // fetch-through: many clients, one origin fetch, all served while it streams in
        OriginServlet origin = new OriginServlet();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", "/origin/*");
        ServiceRegistration<Servlet> reg = context.registerService(Servlet.class, origin, props);
        try {
            String originUrl = base() + "/origin/movie.mp4";
            assertEquals(403, get("/content/fetch?url=" + URLEncoder.encode(originUrl, StandardCharsets.UTF_8))
                    .statusCode());
            configure("origin.allowed.prefixes", new String[] { base() + "/origin/" });
            awaitTrue(() -> get("/content/fetch?url=" + URLEncoder.encode(base() + "/elsewhere", StandardCharsets.UTF_8))
                    .statusCode() == 403 && !get("/api/cache/status").headers().map().isEmpty(), "config");
            awaitTrue(() -> get("/origin/movie.mp4").statusCode() == 200, "the origin servlet");
            origin.bodies.set(0);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<HttpResponse<byte[]>>> results = new ArrayList<>();
            String path = "/content/fetch?url=" + URLEncoder.encode(originUrl, StandardCharsets.UTF_8);
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> get(path)));
            }
            for (Future<HttpResponse<byte[]>> f : results) {
                HttpResponse<byte[]> r = f.get(60, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertArrayEquals(origin.body, r.body());
            }
            pool.shutdown();
            assertEquals("exactly one origin fetch", 1, origin.bodies.get());
            assertEquals("HIT", get(path).headers().firstValue("X-Cache").orElse(""));
            assertEquals(1, origin.bodies.get());
        } finally {
            reg.unregister();
        }

        // a policy change applies in place: a running download finishes, the catalog follows the new policy
        configure("origin.allowed.prefixes", new String[] { base() + "/origin/" }, "client.rate.bytes.per.s", 200_000L);
        awaitTrue(() -> {
            long t = System.nanoTime();
            get("/content/" + id, "Range", "bytes=0-799999");
            return System.nanoTime() - t > 400_000_000L;
        }, "the rate limit");
        ExecutorService one = Executors.newSingleThreadExecutor();
        Future<HttpResponse<byte[]>> running = one.submit(() -> get("/content/" + id));
        awaitTrue(() -> com.google.gson.JsonParser.parseString(text(get("/api/cache/status"))).getAsJsonObject()
                .getAsJsonObject("metrics").get("downloads.active").getAsLong() >= 1, "the download to start");
        configure("origin.allowed.prefixes", new String[] { base() + "/origin/" }, "client.rate.bytes.per.s", 200_000L,
                "allowed.categories", new String[] { "audio" });
        awaitTrue(() -> catalog.items().stream().noneMatch(i -> i.id().equals(id)), "the catalog to drop video");
        // the cap on concurrent downloads: with one slot taken by the running download, the next one waits
        configure("origin.allowed.prefixes", new String[] { base() + "/origin/" }, "client.rate.bytes.per.s", 200_000L,
                "allowed.categories", new String[] { "audio" }, "max.concurrent.downloads", 1);
        String song = importItem("tune.mp3", bytes(10_000, 3));
        awaitTrue(() -> get("/content/" + song).statusCode() == 503, "the download cap");
        HttpResponse<byte[]> busy = get("/content/" + song);
        assertEquals("5", busy.headers().firstValue("Retry-After").orElse(""));
        assertTrue(text(busy), text(busy).contains("\"error\":\"busy\""));
        HttpResponse<byte[]> finished = running.get(30, TimeUnit.SECONDS);
        one.shutdown();
        assertEquals(200, finished.statusCode());
        assertArrayEquals("the download in flight survived reconfiguration", clip, finished.body());
        assertEquals(403, get("/content/" + id).statusCode());
        assertFalse(text(get("/api/catalog")).contains(id));

        TelemetrySource telemetry = context.getService(context.getServiceReferences(TelemetrySource.class,
                "(component.name=io.edgeshare.cache.internal.ContentCache)").iterator().next());
        TelemetrySnapshot snap = telemetry.snapshot();
        assertEquals("cache", snap.source());
        assertEquals(3L * 1024 * 1024, snap.metrics().get("bytes.origin").longValue());
        assertTrue(snap.metrics().get("bytes.served").longValue() > 8L * 3 * 1024 * 1024);
        assertTrue(snap.metrics().get("bytes.saved").longValue() >= 7L * 3 * 1024 * 1024);
        assertTrue(snap.metrics().get("hit.ratio").doubleValue() > 0.5);
        assertEquals("ok", snap.labels().get("admission"));
        configure();
    }

    /**
     * Another gateway nearby, as the peer protocol sees it: its catalog entry and its content, with Range; the
     * first transfer breaks half-way so the taker must resume.
     */
    public static final class PeerServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final byte[] body = bytes(900_000, 77);
        /** A content id: the first 32 hex digits of the body's SHA-256, which the taker checks. */
        static final String ID = sha256Unchecked(bytes(900_000, 77)).substring(0, 32);
        final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicInteger contentRequests = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String range = req.getHeader("Range");
            requests.add(req.getPathInfo() + (range == null ? "" : " " + range));
            if (req.getPathInfo().equals("/api/catalog/" + ID)) {
                resp.setContentType("application/json");
                try {
                    resp.getWriter().write("{\"id\":\"" + ID + "\",\"title\":\"promo.mp4\",\"mediaType\":\"video/mp4\","
                            + "\"size\":" + body.length + ",\"sha256\":\"" + sha256(body) + "\",\"category\":\"video\"}");
                } catch (Exception e) {
                    throw new IOException(e);
                }
                return;
            }
            if (!req.getPathInfo().equals("/content/" + ID)) {
                resp.sendError(404);
                return;
            }
            int from = range != null && range.startsWith("bytes=") && range.endsWith("-")
                    ? Integer.parseInt(range.substring(6, range.length() - 1)) : 0;
            if (from > 0) {
                resp.setStatus(206);
                resp.setHeader("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            }
            resp.setContentType("video/mp4");
            resp.setContentLength(body.length - from);
            if (contentRequests.incrementAndGet() == 1) {
                resp.getOutputStream().write(body, from, 300_000);
                resp.getOutputStream().flush();
                throw new IOException("peer connection breaks on purpose");
            }
            resp.getOutputStream().write(body, from, body.length - from);
        }
    }

    /** The second-terminal role through OSGi: a NearbySharers service lists an item; GET pulls it from there. */
    @Test
    public void takesAVerifiedCopyFromANearbySharer() throws Exception {
        assertAllBundlesActive(context);
        configure();
        awaitTrue(() -> get("/api/catalog").statusCode() == 200, "the servlets");
        PeerServlet peer = new PeerServlet();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", "/peer/*");
        ServiceRegistration<Servlet> servlet = context.registerService(Servlet.class, peer, props);
        NearbySharers sharers = () -> List.of(new NearbySharer("gw-next-door", "EdgeShare-7", base() + "/peer", 20,
                List.of(PeerServlet.ID)));
        ServiceRegistration<NearbySharers> nearby = context.registerService(NearbySharers.class, sharers, null);
        try {
            awaitTrue(() -> get("/peer/api/catalog/" + PeerServlet.ID).statusCode() == 200, "the peer servlet");
            HttpResponse<byte[]> r = get("/content/" + PeerServlet.ID);
            assertEquals(text(r), 200, r.statusCode());
            assertArrayEquals(peer.body, r.body());
            assertEquals("MISS", r.headers().firstValue("X-Cache").orElse(""));
            assertTrue(peer.requests.toString(),
                    peer.requests.stream().anyMatch(q -> q.startsWith("/content/" + PeerServlet.ID + " bytes=")));
            ContentItem item = catalog.items().stream().filter(i -> i.id().equals(PeerServlet.ID)).findFirst()
                    .orElseThrow();
            assertEquals("promo.mp4", item.title());
            assertEquals(sha256(peer.body), item.sha256());
            String status = text(get("/api/cache/status"));
            assertTrue(status, status.contains("\"peer.fetches\":1"));
            assertEquals("HIT", get("/content/" + PeerServlet.ID).headers().firstValue("X-Cache").orElse(""));
        } finally {
            nearby.unregister();
            servlet.unregister();
        }
    }

    /** Attack 7/1: an HTML item (imported here; a peer or origin could serve one) cannot script the portal. */
    @Test
    public void activeContentIsServedAsASandboxedAttachment() throws Exception {
        assertAllBundlesActive(context);
        configure();
        awaitTrue(() -> get("/api/catalog").statusCode() == 200, "the servlets");
        String id = importItem("page.html", "<script>alert(document.domain)</script>".getBytes(StandardCharsets.UTF_8));
        Path headers = Files.createTempFile("curl", ".headers");
        Path out = Files.createTempFile("curl", ".bin");
        try {
            assertEquals("200", curl("-D", headers.toString(), "-o", out.toString(), base() + "/content/" + id));
            String h = Files.readString(headers).toLowerCase(java.util.Locale.ROOT);
            assertTrue(h, h.contains("content-disposition: attachment; filename=\"page.html\""));
            assertTrue(h, h.contains("content-security-policy: sandbox"));
            assertTrue(h, h.contains("x-content-type-options: nosniff"));

            String mp3 = importItem("tune.mp3", bytes(5000, 3));
            assertEquals("200", curl("-D", headers.toString(), "-o", out.toString(), base() + "/content/" + mp3));
            String passive = Files.readString(headers).toLowerCase(java.util.Locale.ROOT);
            assertFalse(passive, passive.contains("content-disposition"));
            assertTrue(passive, passive.contains("x-content-type-options: nosniff"));
        } finally {
            Files.deleteIfExists(headers);
            Files.deleteIfExists(out);
        }
    }

    /** Attack 2: the admin API cannot make the gateway fetch a URL outside origin.allowed.prefixes (SSRF). */
    @Test
    public void adminFetchOutsideTheAllowedPrefixesIsRefused() throws Exception {
        assertAllBundlesActive(context);
        configure("origin.allowed.prefixes", new String[] { "https://cdn.example.com/" });
        awaitTrue(() -> get("/api/catalog").statusCode() == 200, "the servlets");
        Path out = Files.createTempFile("curl", ".json");
        try {
            for (String target : new String[] { base() + "/api/cache/status", "https://cdn.example.com.evil.net/x",
                    "https://cdn.example.com@127.0.0.1:" + httpPort(context) + "/api/cache/status" }) {
                String body = "{\"url\":\"" + target + "\"}";
                String code = curl("-o", out.toString(), "-H", "Content-Type: application/json", "--data-binary",
                        body, base() + "/api/cache/items");
                com.google.gson.JsonObject answer = com.google.gson.JsonParser.parseString(Files.readString(out))
                        .getAsJsonObject();
                assertTrue(target + " -> " + code, code.equals("403") || code.equals("400"));
                assertTrue(answer.toString(), answer.get("error").getAsString().equals("origin-not-allowed")
                        || answer.get("error").getAsString().equals("bad-url"));
            }
            com.google.gson.JsonObject status = com.google.gson.JsonParser.parseString(text(get("/api/cache/status")))
                    .getAsJsonObject();
            assertTrue(status.toString(), status.getAsJsonObject("metrics").get("origin.refused").getAsLong() >= 2);
            assertTrue(status.toString(), status.getAsJsonArray("fetching").isEmpty());

            assertEquals("400", curl("-o", out.toString(), "-H", "Content-Type: application/json", "--data-binary",
                    "{\"url\":", base() + "/api/cache/items"));
            String error = Files.readString(out);
            assertFalse(error, error.contains("gson") || error.contains("Exception") || error.contains("at line"));
            byte[] huge = new byte[64 * 1024];
            Arrays.fill(huge, (byte) ' ');
            Path big = Files.createTempFile("curl", ".json");
            Files.write(big, huge);
            assertEquals("413", curl("-o", out.toString(), "-H", "Content-Type: application/json", "--data-binary",
                    "@" + big, base() + "/api/cache/items"));
            Files.deleteIfExists(big);
        } finally {
            Files.deleteIfExists(out);
            configure();
        }
    }

    /** curl against the running gateway: ranges, conditionals, HEAD, bad ids, traversal attempts. */
    @Test
    public void curlEndToEnd() throws Exception {
        assertAllBundlesActive(context);
        configure();
        awaitTrue(() -> get("/api/catalog").statusCode() == 200, "the servlets");
        byte[] body = bytes(200_000, 9);
        String id = importItem("song.mp3", body);
        String url = base() + "/content/" + id;
        Path out = Files.createTempFile("curl", ".bin");

        assertEquals("200", curl("-o", out.toString(), url));
        assertArrayEquals(body, Files.readAllBytes(out));
        assertEquals("206", curl("-o", out.toString(), "-r", "100-199", url));
        assertArrayEquals(Arrays.copyOfRange(body, 100, 200), Files.readAllBytes(out));
        assertEquals("206", curl("-o", out.toString(), "-r", "-50", url));
        assertArrayEquals(Arrays.copyOfRange(body, body.length - 50, body.length), Files.readAllBytes(out));
        assertEquals("416", curl("-o", out.toString(), "-r", "999999-", url));
        assertTrue(Files.readString(out).contains("range-not-satisfiable"));
        String sha = sha256(body);
        assertEquals("304", curl("-o", out.toString(), "-H", "If-None-Match: \"" + sha + "\"", url));
        assertEquals("200", curl("-o", out.toString(), "-H", "If-None-Match: \"other\"", url));
        assertEquals("304", curl("-o", out.toString(), "-z", "Tue, 01 Jan 2999 00:00:00 GMT", url));
        assertEquals("206", curl("-o", out.toString(), "-r", "0-9", "-H", "If-Range: \"" + sha + "\"", url));
        assertEquals("200", curl("-o", out.toString(), "-r", "0-9", "-H", "If-Range: \"stale\"", url));
        assertEquals(body.length, Files.size(out));
        assertEquals("200", curl("-o", out.toString(), "-I", url));
        String head = Files.readString(out);
        assertTrue(head, head.toLowerCase().contains("content-length: " + body.length));
        assertTrue(head, head.toLowerCase().contains("content-type: audio/mpeg"));
        assertTrue(head, head.toLowerCase().contains("accept-ranges: bytes"));

        assertEquals("404", curl("-o", out.toString(), base() + "/content/00000000000000000000000000000000"));
        assertTrue(Files.readString(out).contains("\"error\":\"not-found\""));
        assertEquals("405", curl("-o", out.toString(), "-X", "DELETE", url));
        for (String evil : new String[] { "/content/../../../../etc/passwd", "/content/..%2f..%2f..%2fetc%2fpasswd",
                "/content/%2e%2e/%2e%2e/etc/passwd", "/content/.%00.", "/content/" + id + "/../../index",
                "/content/objects", "/content/index" }) {
            String code = curl("--path-as-is", "-o", out.toString(), base() + evil);
            String got = Files.readString(out, StandardCharsets.ISO_8859_1);
            assertTrue(evil + " -> " + code, code.equals("400") || code.equals("404"));
            assertFalse(evil + " leaked a file", got.contains("root:") || got.contains("edgeshare-cache-index"));
        }
        assertEquals("400", curl("-o", out.toString(), base() + "/content/fetch"));
        assertEquals("400", curl("-o", out.toString(), base() + "/content/fetch?url=file:///etc/passwd"));
        assertEquals("403", curl("-o", out.toString(), base() + "/content/fetch?url=http://169.254.169.254/latest"));
        assertTrue(Files.readString(out).contains("\"error\":\"origin-not-allowed\""));
        assertEquals("200", curl("-o", out.toString(), base() + "/api/catalog/" + id));
        assertTrue(Files.readString(out).contains("\"sha256\":\"" + sha + "\""));
        Files.deleteIfExists(out);
    }

    /** Runs curl (bounded by --max-time) and returns the HTTP status it saw. */
    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "20", "-w", "%{http_code}"));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("curl did not finish", p.waitFor(30, TimeUnit.SECONDS));
        return outText.trim();
    }
}
