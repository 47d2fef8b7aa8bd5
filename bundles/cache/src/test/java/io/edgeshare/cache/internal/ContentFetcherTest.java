package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.edgeshare.api.ap.NearbySharer;

@Timeout(60)
class ContentFetcherTest {

    @TempDir
    Path dir;

    ExecutorService pool = Executors.newCachedThreadPool();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    CacheTelemetry telemetry = new CacheTelemetry();
    DiskContentStore store;
    ContentFetcher fetcher;
    volatile List<NearbySharer> peers = List.of();
    volatile Settings settings = settings(300);

    /** Test origins listen on loopback ports chosen at start: each test allows its own. */
    static volatile List<String> allowed = List.of();

    static Settings settings(int freshS) {
        return new Settings("", 1L << 30, 0, Set.of(), 1L << 30, 0, 64, List.of(), allowed, 5, 3,
                freshS, true, Set.of("127.0.0.1"), "", 0);
    }

    /** Allows fetches under {@code origin}'s root. */
    void allow(TestOrigin origin) {
        allowed = List.of(origin.url("/"));
        settings = settings(settings.originFreshS());
    }

    @BeforeEach
    void open() throws IOException {
        store = new DiskContentStore(dir, 1L << 30, 0, Clock.systemUTC());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(pool).build();
        fetcher = new ContentFetcher(store, telemetry, () -> http, pool, scheduler, Clock.systemUTC(), () -> settings,
                () -> peers);
    }

    @AfterEach
    void close() throws IOException {
        pool.shutdownNow();
        scheduler.shutdownNow();
        store.close();
    }

    static byte[] bytes(int n) {
        return DiskContentStoreTest.bytes(n, 7);
    }

    private StoredItem fetch(String url) throws Exception {
        return fetcher.acquire(new ContentFetcher.Request(ContentFetcher.idForUrl(url), url, null, null, false, null),
                null).done().get(30, TimeUnit.SECONDS);
    }

    private byte[] read(String id) throws IOException {
        try (DiskContentStore.Lease lease = store.open(id).orElseThrow()) {
            ByteBuffer b = ByteBuffer.allocate((int) lease.item().size());
            while (b.hasRemaining() && lease.channel().read(b, b.position()) > 0) {
                // keep reading
            }
            return b.array();
        }
    }

    @Test
    void urlIdsAndAllowedOrigins() {
        assertEquals(32, ContentFetcher.idForUrl("http://a/b").length());
        assertEquals(ContentFetcher.idForUrl("http://a/b"), ContentFetcher.idForUrl("http://a/b"));
        List<String> allowed = List.of("https://cdn.example.com/");
        assertEquals("https://cdn.example.com/a/x.mp4",
                ContentFetcher.checkOriginUrl("HTTPS://CDN.example.com:443/a/x.mp4", allowed));
        for (String bad : new String[] { "https://cdn.example.com.evil.net/x", "file:///etc/passwd",
                "https://user:pw@cdn.example.com/x", "https://cdn.example.com/../../etc",
                "https://cdn.example.com/a/../x.mp4", "https://cdn.example.com/%2e%2e/x", "http://cdn.example.com/x",
                "https://cdn.example.com:8443/x", "https://cdn.example.com@127.0.0.1/x" }) {
            try {
                ContentFetcher.checkOriginUrl(bad, allowed);
                throw new AssertionError("accepted " + bad);
            } catch (SecurityException | IllegalArgumentException expected) {
                // refused
            }
        }
    }

    @Test
    void concurrentRequestsShareOneOriginFetchAndReadTheGrowingFile() throws Exception {
        byte[] body = bytes(2 * 1024 * 1024);
        try (TestOrigin origin = new TestOrigin(body)) {
            allow(origin);
            origin.chunkDelayMs = 40; // ~1.3 s for the whole body
            String url = origin.url("/big.mp4");
            String id = ContentFetcher.idForUrl(url);
            int clients = 16;
            List<Flight> flights = new ArrayList<>();
            int leaders = 0;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Flight> shared = java.util.Collections.synchronizedList(flights);
            int[] leaderCount = new int[1];
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        boolean[] leader = new boolean[1];
                        shared.add(fetcher.acquire(new ContentFetcher.Request(id, url, null, null, false, null),
                                leader));
                        if (leader[0]) {
                            synchronized (leaderCount) {
                                leaderCount[0]++;
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(10_000);
            }
            leaders = leaderCount[0];
            assertEquals(1, leaders);
            assertEquals(1, flights.stream().distinct().count());
            Flight flight = flights.get(0);
            Flight.Start start = flight.started().get(10, TimeUnit.SECONDS);
            assertEquals(Flight.Kind.STREAMING, start.kind());
            assertEquals(body.length, start.contentLength());
            assertEquals("video/mp4", start.mediaType());

            FileChannel growing = flight.acquireReader();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
            long pos = 0;
            boolean sawBytesBeforeCompletion = false;
            int n;
            while ((n = flight.read(growing, buf.clear(), pos, 10_000)) >= 0) {
                if (!flight.done().isDone()) {
                    sawBytesBeforeCompletion = true;
                }
                got.write(buf.array(), 0, n);
                pos += n;
            }
            flight.releaseReader();
            assertTrue(sawBytesBeforeCompletion, "bytes were served while the origin was still sending");
            assertArrayEquals(body, got.toByteArray());
            StoredItem item = flight.done().get(10, TimeUnit.SECONDS);
            assertEquals(DiskContentStoreTest.sha(body), item.sha256());
            assertEquals(url, item.originUrl());
            assertEquals("big.mp4", item.title());
            assertEquals(1, origin.bodies.get(), "exactly one origin fetch");
            assertEquals(body.length, telemetry.bytesFromOrigin.sum());
        }
    }

    @Test
    void anOriginThatDiesMidBodyFailsItsReadersAndAdmitsNothing() throws Exception {
        byte[] body = bytes(1024 * 1024);
        try (TestOrigin origin = new TestOrigin(body)) {
            allow(origin);
            origin.chunkDelayMs = 20;
            origin.cutAfter = 512 * 1024;
            String url = origin.url("/dies.mp4");
            Flight flight = fetcher.acquire(new ContentFetcher.Request(ContentFetcher.idForUrl(url), url, null, null,
                    false, null), null);
            assertEquals(Flight.Kind.STREAMING, flight.started().get(10, TimeUnit.SECONDS).kind());
            FileChannel growing = flight.acquireReader();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long pos = 0;
            try {
                int n;
                while ((n = flight.read(growing, buf.clear(), pos, 10_000)) >= 0) {
                    pos += n;
                }
                throw new AssertionError("the reader saw a clean end after " + pos + " bytes");
            } catch (IOException expected) {
                assertTrue(pos < body.length);
            } finally {
                flight.releaseReader();
            }
            assertTrue(flight.done().isCompletedExceptionally());
            assertTrue(store.items().isEmpty(), "a truncated origin copy is never admitted");
            assertEquals(0, store.stats().reservedBytes());
            try (var tmp = java.nio.file.Files.list(dir.resolve("tmp"))) {
                assertEquals(0, tmp.count(), "the partial file is gone");
            }
        }
    }

    @Test
    void revalidatesWithEtagAndReplacesChangedContent() throws Exception {
        try (TestOrigin origin = new TestOrigin(bytes(1000))) {
            allow(origin);
            settings = settings(0); // always stale: every request revalidates
            String url = origin.url("/a.mp4");
            fetch(url);
            StoredItem again = fetch(url);
            assertFalse(fetcher.backingOff(again.id()));
            assertEquals(1, origin.bodies.get(), "304 answered, no second body");
            assertTrue(origin.requests.get(1).endsWith("INM=\"v1\""), origin.requests.toString());
            assertEquals(1, telemetry.revalidations.sum());
            assertEquals(DiskContentStoreTest.sha(bytes(1000)), again.sha256());

            origin.body = DiskContentStoreTest.bytes(1500, 99);
            origin.etag = "\"v2\"";
            StoredItem changed = fetch(url);
            assertEquals(1500, changed.size());
            assertArrayEquals(origin.body, read(changed.id()));
            assertEquals("\"v2\"", changed.etag());
            assertEquals(1, store.items().size());
            assertEquals(1500, store.stats().usedBytes(), "the old version's bytes are freed");
        }
    }

    @Test
    void servesStaleWhenTheOriginFails() throws Exception {
        try (TestOrigin origin = new TestOrigin(bytes(1000))) {
            allow(origin);
            settings = settings(0);
            String url = origin.url("/a.mp4");
            fetch(url);
            origin.failWith = 503;
            Flight f = fetcher.acquire(new ContentFetcher.Request(ContentFetcher.idForUrl(url), url, null, null, false,
                    null), null);
            Flight.Start start = f.started().get(10, TimeUnit.SECONDS);
            assertEquals(Flight.Kind.STORED, start.kind());
            assertTrue(start.stale());
            assertEquals(1, telemetry.staleServed.sum());
            assertTrue(fetcher.backingOff(ContentFetcher.idForUrl(url)), "the failed origin is left alone a while");
            origin.close();
            Flight down = fetcher.acquire(new ContentFetcher.Request(ContentFetcher.idForUrl(url), url, null, null,
                    false, null), null);
            assertTrue(down.started().get(15, TimeUnit.SECONDS).stale(), "origin unreachable: still stale copy");
        }
    }

    @Test
    void missingItemWithFailingOriginIsAnError() throws Exception {
        try (TestOrigin origin = new TestOrigin(bytes(10))) {
            allow(origin);
            origin.failWith = 404;
            String url = origin.url("/none");
            Flight f = fetcher.acquire(new ContentFetcher.Request(ContentFetcher.idForUrl(url), url, null, null, false,
                    null), null);
            Flight.Start s = f.started().get(10, TimeUnit.SECONDS);
            assertEquals(Flight.Kind.FAILED, s.kind());
            assertEquals(502, s.status());
            assertTrue(store.items().isEmpty());
        }
    }

    @Test
    void tooLargeForThePolicyIsRefused() throws Exception {
        try (TestOrigin origin = new TestOrigin(bytes(5000))) {
            allow(origin);
            Settings s = settings(300);
            settings = new Settings("", s.quotaBytes(), 0, Set.of(), 4000, 0, 64, List.of(), s.originAllowedPrefixes(),
                    5, 3, 300, true, Set.of(), "", 0);
            String url = origin.url("/big");
            Flight f = fetcher.acquire(new ContentFetcher.Request(ContentFetcher.idForUrl(url), url, null, null, false,
                    null), null);
            assertEquals(413, f.started().get(10, TimeUnit.SECONDS).status());
            assertTrue(store.items().isEmpty());
        }
    }

    @Test
    void peerFetchResumesAfterABrokenConnectionAndVerifies() throws Exception {
        byte[] body = bytes(600_000);
        String id = DiskContentStoreTest.sha(body).substring(0, 32); // a content id: the SHA-256's prefix
        try (TestPeer peer = new TestPeer(id, body)) {
            peer.cutAfter = 200_000;
            peers = List.of(new NearbySharer("gw-2", "EdgeShare-2", peer.baseUrl(), 12.5, List.of(id)));
            StoredItem item = fetcher.acquire(new ContentFetcher.Request(id, null, null, null, false, null), null)
                    .done().get(30, TimeUnit.SECONDS);
            assertEquals(peer.sha, item.sha256());
            assertArrayEquals(body, read(id));
            assertEquals("clip.mp4", item.title());
            assertTrue(peer.requests.stream().anyMatch(r -> r.startsWith("/content/" + id + " bytes=")),
                    "resumed with a Range request: " + peer.requests);
            assertEquals(1, telemetry.peerFetches.sum());
            assertTrue(telemetry.bytesFromPeers.sum() < body.length + 200_000, "resumed, not restarted");
        }
    }

    @Test
    void corruptPeerCopyIsNeverAdmittedAndTheOriginIsUsedInstead() throws Exception {
        byte[] body = bytes(300_000);
        try (TestOrigin origin = new TestOrigin(body)) {
            allow(origin);
            String url = origin.url("/clip.mp4");
            String id = ContentFetcher.idForUrl(url);
            try (TestPeer corrupt = new TestPeer(id, body); TestPeer truncated = new TestPeer(id, body)) {
                corrupt.corrupt = true;
                truncated.cutAfter = 1000;
                truncated.cutEveryTime = true;
                peers = List.of(new NearbySharer("bad", "x", corrupt.baseUrl(), 1, List.of(id)),
                        new NearbySharer("short", "y", truncated.baseUrl(), 2, List.of(id)));
                // the platform's command named the hash, so the peers may be asked
                StoredItem item = fetcher.acquire(new ContentFetcher.Request(id, url, null, null, false,
                        DiskContentStoreTest.sha(body)), null).done().get(30, TimeUnit.SECONDS);
                assertEquals(DiskContentStoreTest.sha(body), item.sha256());
                assertArrayEquals(body, read(id));
                assertEquals(2, telemetry.peerRejected.sum());
                assertEquals(1, origin.bodies.get());
                assertFalse(corrupt.requests.isEmpty());
            }
        }
    }

    @Test
    void peerWithTheWrongContentForATrustedHashIsSkipped() throws Exception {
        byte[] body = bytes(1000);
        String id = "fedcba9876543210fedcba9876543210";
        try (TestPeer peer = new TestPeer(id, body)) {
            peers = List.of(new NearbySharer("gw", "s", peer.baseUrl(), 1, List.of(id)));
            Flight f = fetcher.acquire(new ContentFetcher.Request(id, null, null, null, false, "1".repeat(64)), null);
            assertEquals(404, f.started().get(10, TimeUnit.SECONDS).status());
            assertTrue(store.items().isEmpty());
            assertEquals(List.of("/api/catalog/" + id), peer.requests, "no content fetched for a mismatching hash");
        }
    }
}
