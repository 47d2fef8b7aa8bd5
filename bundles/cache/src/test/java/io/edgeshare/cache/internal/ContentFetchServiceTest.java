package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgeshare.api.cache.FetchProgress;
import io.edgeshare.api.cache.FetchRequest;

/** The ContentFetch service (the platform's fetch command) over a real cache and a real loopback origin. */
class ContentFetchServiceTest {

    @TempDir
    Path dir;

    private ContentCache cache;

    @AfterEach
    void stop() {
        if (cache != null) {
            cache.deactivate();
        }
    }

    @Test
    void fetchesFromTheOriginThenReportsCachedAndRefusesBadRequests() throws Exception {
        byte[] body = DiskContentStoreTest.bytes(50_000, 3);
        try (TestOrigin origin = new TestOrigin(body)) {
            origin.cacheControl = "max-age=3600"; // fresh for an hour: a second request needs no origin
            cache = new ContentCache(dir, Settings.from(ContentCacheTest.config(Map.of("origin.allowed.prefixes",
                    new String[] { origin.url("/") }))));
            ContentFetchService service = new ContentFetchService(cache);
            String url = origin.url("/item.mp4");
            String id = ContentFetcher.idForUrl(url);

            FetchProgress started = service.fetch(new FetchRequest(id, url, null));
            assertTrue(started.state().equals("fetching") || started.state().equals("cached"), started.toString());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (cache.store().get(id).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            FetchProgress done = service.fetch(new FetchRequest(id, url, null));
            assertEquals("cached", done.state());
            assertEquals(body.length, done.bytes());
            assertEquals(1, origin.bodies.get());

            assertEquals("failed", service.fetch(new FetchRequest("0".repeat(32), url, null)).state(),
                    "the id must be the URL's id");
            assertEquals("failed", service.fetch(new FetchRequest(id, "file:///etc/passwd", null)).state());
            assertEquals("failed", service.fetch(new FetchRequest(id, null, "not-a-hash")).state());
            assertEquals("failed", service.fetch(new FetchRequest("../etc", null, null)).state());
        }
    }

    /** Attack 2: {@code cmd/fetch} with a URL the gateway may not fetch (the platform's own API) is refused. */
    @Test
    public void aFetchCommandOutsideTheAllowedPrefixesIsRefusedAndNothingIsRequested() throws Exception {
        try (TestOrigin allowed = new TestOrigin(new byte[10]); TestOrigin platform = new TestOrigin(new byte[10])) {
            cache = new ContentCache(dir, Settings.from(ContentCacheTest.config(Map.of("origin.allowed.prefixes",
                    new String[] { allowed.url("/media/") }))));
            ContentFetchService service = new ContentFetchService(cache);
            for (String url : new String[] { platform.url("/api/gateways"), allowed.url("/api/gateways"),
                    allowed.url("/media/../api/gateways") }) {
                FetchProgress answer = service.fetch(new FetchRequest(ContentFetcher.idForUrl(url), url, null));
                assertEquals("failed", answer.state(), url);
                assertTrue(answer.error().contains("origin.allowed.prefixes") || answer.error().contains("dot"),
                        answer.error());
            }
            assertTrue(platform.requests.isEmpty(), "the platform was never asked: " + platform.requests);
            assertTrue(allowed.requests.isEmpty(), "nothing outside /media/ was asked: " + allowed.requests);
            assertEquals(2L, cache.snapshot().metrics().get("origin.refused").longValue());
            assertTrue(cache.items().isEmpty());
        }
    }

    /** No prefixes configured: this gateway fetches no URL at all. */
    @Test
    public void withoutPrefixesNoUrlIsFetched() throws Exception {
        try (TestOrigin origin = new TestOrigin(new byte[10])) {
            cache = new ContentCache(dir, Settings.from(ContentCacheTest.config(Map.of())));
            String url = origin.url("/a.mp4");
            FetchProgress answer = new ContentFetchService(cache).fetch(new FetchRequest(ContentFetcher.idForUrl(url),
                    url, null));
            assertEquals("failed", answer.state());
            assertTrue(origin.requests.isEmpty());
        }
    }
}
