package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.edgeshare.api.ap.NearbySharer;

/**
 * Attack 1 of issue 8 replayed with fake nearby sharers on loopback: a peer cannot make this gateway admit
 * bytes that are not the item it asked for, nor stand in for an origin without a hash from elsewhere, nor
 * name an item {@code free-wifi-update.exe}; and redirects never leave the allowed prefixes.
 */
@Timeout(60)
class ForgedContentTest {

    @TempDir
    Path dir;

    ExecutorService pool = Executors.newCachedThreadPool();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    CacheTelemetry telemetry = new CacheTelemetry();
    DiskContentStore store;
    ContentFetcher fetcher;
    volatile List<NearbySharer> peers = List.of();
    volatile List<String> allowed = List.of();

    @BeforeEach
    void open() throws IOException {
        store = new DiskContentStore(dir, 1L << 30, 0, Clock.systemUTC());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        fetcher = new ContentFetcher(store, telemetry, () -> http, pool, scheduler, Clock.systemUTC(),
                () -> new Settings("", 1L << 30, 0, Set.of(), 1L << 30, 0, 64, List.of(), allowed, 5, 3, 300, true,
                        Set.of(), "", 0),
                () -> peers);
    }

    @AfterEach
    void close() throws IOException {
        pool.shutdownNow();
        scheduler.shutdownNow();
        store.close();
    }

    private Flight.Start acquire(String id, String url, String trustedSha) throws Exception {
        return fetcher.acquire(new ContentFetcher.Request(id, url, null, null, false, trustedSha), null).started()
                .get(30, TimeUnit.SECONDS);
    }

    private static NearbySharer sharer(TestPeer peer, String id) {
        return new NearbySharer("gw-evil", "Free WiFi", peer.baseUrl(), 13, List.of(id));
    }

    @Test
    void aPeerServingBytesThatAreNotTheIdIsRefusedAndNothingIsListed() throws Exception {
        byte[] payload = DiskContentStoreTest.bytes(20_000, 66);
        String id = DiskContentStoreTest.sha(DiskContentStoreTest.bytes(20_000, 1)).substring(0, 32);
        try (TestPeer evil = new TestPeer(id, payload)) {
            evil.title = "free-wifi-update.exe";
            peers = List.of(sharer(evil, id));
            Flight.Start start = acquire(id, null, null);
            assertEquals(Flight.Kind.FAILED, start.kind());
            assertEquals(404, start.status());
            assertTrue(store.items().isEmpty(), "nothing admitted, so nothing in the catalog");
            assertEquals(1, telemetry.peerMismatch.sum());
            assertEquals(List.of("/api/catalog/" + id), evil.requests, "refused before any content was taken");
        }
    }

    @Test
    void aPeerLyingAboutTheHashIsCaughtByTheBytes() throws Exception {
        byte[] payload = DiskContentStoreTest.bytes(20_000, 66);
        String realSha = DiskContentStoreTest.sha(DiskContentStoreTest.bytes(20_000, 1));
        String id = realSha.substring(0, 32);
        try (TestPeer evil = new TestPeer(id, payload)) {
            evil.claimedSha = realSha; // claims the right hash, serves other bytes
            peers = List.of(sharer(evil, id));
            assertEquals(404, acquire(id, null, null).status());
            assertTrue(store.items().isEmpty());
            assertEquals(1, telemetry.peerMismatch.sum());
            assertTrue(evil.requests.contains("/content/" + id), "the bytes were checked: " + evil.requests);
        }
    }

    @Test
    void aPeerCannotStandInForAnOriginWithoutAHashFromElsewhere() throws Exception {
        byte[] real = DiskContentStoreTest.bytes(5000, 3);
        try (TestOrigin origin = new TestOrigin(real)) {
            allowed = List.of(origin.url("/"));
            String url = origin.url("/promo.mp4");
            String id = ContentFetcher.idForUrl(url);
            try (TestPeer evil = new TestPeer(id, DiskContentStoreTest.bytes(5000, 99))) {
                peers = List.of(sharer(evil, id));
                Flight.Start start = acquire(id, url, null);
                assertFalse(start.kind() == Flight.Kind.FAILED, start.toString());
                StoredItem item = fetcher.acquire(new ContentFetcher.Request(id, url, null, null, false, null), null)
                        .done().get(30, TimeUnit.SECONDS);
                assertEquals(DiskContentStoreTest.sha(real), item.sha256(), "the origin's bytes, not the peer's");
                assertTrue(evil.requests.isEmpty(), "the peer was not even asked: " + evil.requests);
                assertEquals(1, origin.bodies.get());
            }
        }
    }

    @Test
    void aPeerTitleOfAnActiveTypeIsNotAdopted() throws Exception {
        byte[] body = DiskContentStoreTest.bytes(8000, 5);
        String id = DiskContentStoreTest.sha(body).substring(0, 32);
        try (TestPeer peer = new TestPeer(id, body)) {
            peer.title = "free-wifi-update.exe";
            peer.mediaType = "text/html";
            peers = List.of(sharer(peer, id));
            StoredItem item = fetcher.acquire(new ContentFetcher.Request(id, null, null, null, false, null), null)
                    .done().get(30, TimeUnit.SECONDS);
            assertEquals(id, item.title(), "the gateway names it by its id");
            assertEquals("application/octet-stream", item.mediaType(), "the peer's media type is not taken");
        }
    }

    @Test
    void aRedirectOutsideThePrefixesIsNotFollowed() throws Exception {
        try (TestOrigin inside = new TestOrigin(new byte[10])) {
            List<String> internalHits = new CopyOnWriteArrayList<>();
            HttpServer internal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
            internal.createContext("/", ex -> {
                internalHits.add(ex.getRequestURI().toString());
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            HttpServer redirector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
            redirector.createContext("/", ex -> {
                ex.getResponseHeaders().set("Location",
                        "http://127.0.0.1:" + internal.getAddress().getPort() + "/api/gateways");
                ex.sendResponseHeaders(302, -1);
                ex.close();
            });
            internal.start();
            redirector.start();
            try {
                String base = "http://127.0.0.1:" + redirector.getAddress().getPort();
                allowed = List.of(base + "/");
                Flight.Start start = acquire(ContentFetcher.idForUrl(base + "/go"), base + "/go", null);
                assertEquals(403, start.status());
                assertEquals("origin-not-allowed", start.error());
                assertTrue(internalHits.isEmpty(), "the redirect target was never requested");
                assertEquals(1, telemetry.originRefused.sum());
            } finally {
                redirector.stop(0);
                internal.stop(0);
            }
        }
    }
}
