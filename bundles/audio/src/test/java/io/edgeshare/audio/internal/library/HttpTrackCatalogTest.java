package io.edgeshare.audio.internal.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.edgeshare.audio.internal.TestAudio;

/** The network fallback against a real HTTP server on loopback shaped like a peer gateway's cache. */
class HttpTrackCatalogTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> content = new ConcurrentHashMap<>();
    private final AtomicInteger downloads = new AtomicInteger();
    private volatile String catalogJson = "[]";
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/catalog", ex -> send(ex, 200, "application/json",
                catalogJson.getBytes(StandardCharsets.UTF_8)));
        server.createContext("/content/", ex -> {
            byte[] b = content.get(ex.getRequestURI().getPath().substring("/content/".length()));
            downloads.incrementAndGet();
            if (b == null) {
                send(ex, 404, "text/plain", new byte[0]);
            } else {
                send(ex, 200, "audio/mpeg", b);
            }
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/catalog");
    }

    private static void send(com.sun.net.httpserver.HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private HttpTrackCatalog catalog(long quota) {
        String root = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        return new HttpTrackCatalog(base, UrlPrefixes.of(java.util.List.of(root)),
                new DownloadFolder(dir.resolve("dl"), quota), w -> { });
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void findsTheMatchingTrackInACatalogThatListsEverythingAndKeepsIt() throws Exception {
        byte[] mp3 = TestAudio.frames(TestAudio.MPEG1_128K, 50);
        content.put("aaa", mp3);
        content.put("bbb", TestAudio.frames(TestAudio.MPEG1_128K, 50));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(mp3));
        catalogJson = "{\"revision\":1,\"items\":["
                + "{\"id\":\"vid\",\"title\":\"Café Noir\",\"mediaType\":\"video/mp4\",\"url\":\"/content/vid\"},"
                + "{\"id\":\"bbb\",\"title\":\"Other Song\",\"mediaType\":\"audio/mpeg\",\"url\":\"/content/bbb\"},"
                + "{\"id\":\"aaa\",\"title\":\"Café Noir\",\"artist\":\"Trío\",\"mediaType\":\"audio/mpeg\",\"sha256\":\""
                + sha + "\",\"url\":\"/content/aaa\"}]}";
        HttpTrackCatalog c = catalog(1L << 28);
        Track t = c.fetch("cafe noir").orElseThrow();
        assertEquals("Trío - Café Noir", t.title());
        assertTrue(java.util.Arrays.equals(mp3, Files.readAllBytes(t.file())));
        assertEquals(1, downloads.get());
        Library lib = new Library(w -> { });
        assertEquals(t.file(), lib.search("trio cafe", java.util.List.of(dir.resolve("dl"))).orElseThrow().file(),
                "found locally next time");
        c.fetch("cafe noir");
        assertEquals(1, downloads.get(), "not downloaded twice");
        assertTrue(c.fetch("nothing like it").isEmpty());
    }

    @Test
    void refusesDownloadsThatAreNotMpegAudioOrDoNotMatchTheirHash() throws Exception {
        content.put("html", "<html>not found</html>".repeat(100).getBytes(StandardCharsets.UTF_8));
        content.put("bad", TestAudio.frames(TestAudio.MPEG1_128K, 20));
        catalogJson = "[{\"id\":\"html\",\"title\":\"Page\",\"mediaType\":\"audio/mpeg\"},"
                + "{\"id\":\"bad\",\"title\":\"Hash\",\"mediaType\":\"audio/mpeg\",\"sha256\":\"00\"}]";
        HttpTrackCatalog c = catalog(1L << 28);
        assertThrows(IOException.class, () -> c.fetch("page"));
        assertThrows(IOException.class, () -> c.fetch("hash"));
        try (var files = Files.list(dir.resolve("dl"))) {
            assertEquals(0, files.count(), "nothing half-downloaded is left");
        }
    }

    /** Attack 2 on the audio side: a catalog answer cannot point the gateway at a URL outside the prefixes. */
    @Test
    void aCatalogEntryOutsideTheAllowedPrefixesIsNeverFetched() throws Exception {
        java.util.List<String> internalHits = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer internal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        internal.createContext("/", ex -> {
            internalHits.add(ex.getRequestURI().toString());
            send(ex, 200, "audio/mpeg", TestAudio.frames(TestAudio.MPEG1_128K, 20));
        });
        internal.start();
        try {
            catalogJson = "[{\"title\":\"Secret\",\"mediaType\":\"audio/mpeg\",\"url\":\"http://127.0.0.1:"
                    + internal.getAddress().getPort() + "/api/gateways.mp3\"}]";
            assertTrue(catalog(1L << 28).fetch("secret").isEmpty());
            assertTrue(internalHits.isEmpty(), "never requested: " + internalHits);
        } finally {
            internal.stop(0);
        }
    }

    @Test
    void withoutPrefixesTheCatalogIsNotAsked() throws Exception {
        HttpTrackCatalog off = new HttpTrackCatalog(base, UrlPrefixes.of(java.util.List.of()),
                new DownloadFolder(dir.resolve("dl"), 1L << 28), w -> { });
        assertThrows(IOException.class, () -> off.fetch("anything"));
        assertEquals(0, downloads.get());
    }

    @Test
    void theDownloadFolderKeepsItsQuotaByDroppingTheLeastRecentlyPlayed() throws Exception {
        byte[] one = TestAudio.frames(TestAudio.MPEG1_128K, 100);
        content.put("one", one);
        content.put("two", TestAudio.frames(TestAudio.MPEG1_128K, 100));
        content.put("three", TestAudio.frames(TestAudio.MPEG1_128K, 100));
        catalogJson = "[{\"id\":\"one\",\"title\":\"First\",\"mediaType\":\"audio/mpeg\"},"
                + "{\"id\":\"two\",\"title\":\"Second\",\"mediaType\":\"audio/mpeg\"},"
                + "{\"id\":\"three\",\"title\":\"Third\",\"mediaType\":\"audio/mpeg\"}]";
        HttpTrackCatalog c = catalog(one.length * 2L + 100); // room for two tracks
        Path first = c.fetch("first").orElseThrow().file();
        Path second = c.fetch("second").orElseThrow().file();
        Files.setLastModifiedTime(second, java.nio.file.attribute.FileTime.fromMillis(1000)); // played long ago
        Path third = c.fetch("third").orElseThrow().file();
        assertTrue(Files.exists(first) && Files.exists(third));
        assertTrue(Files.notExists(second), "the least recently played download made room");
    }
}
