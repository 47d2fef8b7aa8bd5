package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgeshare.api.cache.ContentItem;
import io.edgeshare.api.telemetry.TelemetrySnapshot;

/** The component without OSGi: catalog filtered by the policy, reconfiguration in place, inbox, telemetry. */
class ContentCacheTest {

    @TempDir
    Path dir;

    private ContentCache cache;

    /** A CacheConfig as ConfigAdmin + DS would give it: the interface's defaults, overridden by {@code values}. */
    static CacheConfig config(Map<String, Object> values) {
        return (CacheConfig) Proxy.newProxyInstance(CacheConfig.class.getClassLoader(),
                new Class<?>[] { CacheConfig.class }, (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    return values.containsKey(key) ? values.get(key) : method.getDefaultValue();
                });
    }

    @AfterEach
    void stop() {
        if (cache != null) {
            cache.deactivate();
        }
    }

    @Test
    void configDefaultsAreSane() {
        Settings s = Settings.from(config(Map.of()));
        assertEquals(4L << 30, s.quotaBytes());
        assertTrue(s.allowedCategories().isEmpty());
        assertTrue(s.originAllowedPrefixes().isEmpty(), "no open proxy by default");
        assertTrue(s.adminAddresses().contains("127.0.0.1"));
        assertTrue(s.peerFetch());
        Settings t = Settings.from(config(Map.of("allowed.categories", new String[] { "Video, audio" },
                "prefetch", new String[] { "https://cdn/a.mp4|video|A", " " })));
        assertEquals(java.util.Set.of("video", "audio"), t.allowedCategories());
        assertEquals(1, t.prefetch().size());
    }

    @Test
    void catalogFollowsThePolicyInPlace() throws IOException {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        cache = new ContentCache(dir.resolve("store"), Settings.from(config(Map.of("import.dir", inbox.toString()))));
        StoredItem video = cache.importStream(new ByteArrayInputStream(new byte[5000]), 5000, "clip.mp4", null, null,
                false);
        nextMillisecond();
        StoredItem song = cache.importStream(new ByteArrayInputStream(new byte[100]), 100, "song.mp3", null, null,
                true);
        assertEquals(List.of(song.id(), video.id()), ids(cache.items()), "newest first");
        long revision = cache.revision();

        Map<String, Object> policy = new HashMap<>();
        policy.put("import.dir", inbox.toString());
        policy.put("allowed.categories", new String[] { "audio" });
        cache.modified(config(policy));
        assertEquals(List.of(song.id()), ids(cache.items()));
        assertTrue(cache.revision() > revision, "a policy change is a catalog change");

        policy.put("allowed.categories", new String[0]);
        policy.put("max.item.bytes", 1000L);
        cache.modified(config(policy));
        assertEquals(List.of(song.id()), ids(cache.items()), "too large for the policy: hidden, not deleted");
        assertTrue(cache.store().get(video.id()).isPresent());

        policy.put("quota.bytes", 1000L);
        cache.modified(config(policy));
        assertFalse(cache.store().get(video.id()).isPresent(), "a smaller quota evicts at once");
        assertTrue(cache.store().get(song.id()).isPresent());
    }

    @Test
    void inboxFilesAreImportedOnceStableThenRemoved() throws IOException {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        cache = new ContentCache(dir.resolve("store"), Settings.from(config(Map.of("import.dir", inbox.toString()))));
        Files.write(inbox.resolve("promo.mp4"), new byte[12345]);
        Files.write(inbox.resolve("copying.mp4.part"), new byte[10]);
        cache.scanInbox();
        assertTrue(cache.items().isEmpty(), "first sight: wait until the file stops changing");
        cache.scanInbox();
        List<ContentItem> items = cache.items();
        assertEquals(1, items.size());
        assertEquals("promo.mp4", items.get(0).title());
        assertEquals("video/mp4", items.get(0).mediaType());
        assertEquals(12345, items.get(0).size());
        assertFalse(Files.exists(inbox.resolve("promo.mp4")));
        assertTrue(Files.exists(inbox.resolve("copying.mp4.part")), "partial copies are left alone");
    }

    @Test
    void prefetchListIsFetchedAndKeptFromEviction() throws Exception {
        try (TestOrigin origin = new TestOrigin(new byte[4000])) {
            String url = origin.url("/promo.mp4");
            cache = new ContentCache(dir.resolve("store"), Settings.from(config(Map.of(
                    "prefetch", new String[] { url + "|promo|Spring promo" }, "quota.bytes", 5000L,
                    "origin.allowed.prefixes", new String[] { origin.url("/") }))));
            String id = ContentFetcher.idForUrl(url);
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (cache.store().get(id).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            StoredItem item = cache.store().get(id).orElseThrow(() -> new AssertionError("not prefetched"));
            assertEquals("Spring promo", item.title());
            assertEquals("promo", item.category());
            assertEquals(1, origin.bodies.get());
            // the quota is tight: importing more evicts anything but the prefetched item
            StoredItem other = cache.importStream(new ByteArrayInputStream(new byte[900]), 900, "a.bin", null, null,
                    false);
            cache.importStream(new ByteArrayInputStream(new byte[901]), 901, "b.bin", null, null, false);
            assertTrue(cache.store().get(id).isPresent(), "policy prefetch items are never evicted");
            assertFalse(cache.store().get(other.id()).isPresent());
        }
    }

    @Test
    void httpClientIsBuiltOnTheFirstFetchNotAtActivation() throws Exception {
        try (TestOrigin origin = new TestOrigin(new byte[4000])) {
            cache = new ContentCache(dir.resolve("store"), Settings.from(config(Map.of(
                    "origin.allowed.prefixes", new String[] { origin.url("/") }))));
            assertFalse(cache.httpClientBuilt(), "activation builds no HTTP client (TLS context, selector thread)");
            String url = origin.url("/clip.mp4");
            StoredItem item = cache.fetcher().acquire(new ContentFetcher.Request(ContentFetcher.idForUrl(url), url,
                    null, null, false, null), null).done().get(30, TimeUnit.SECONDS);
            assertEquals(4000, item.size());
            assertEquals(1, origin.bodies.get());
            assertTrue(cache.httpClientBuilt());
        }
    }

    @Test
    void telemetryReportsAdmissionState() throws IOException {
        cache = new ContentCache(dir.resolve("store"), Settings.from(config(Map.of())));
        TelemetrySnapshot snap = cache.snapshot();
        assertEquals("cache", snap.source());
        assertEquals("ok", snap.labels().get("admission"));
        assertEquals(0L, snap.metrics().get("bytes.saved"));
        cache.modified(config(Map.of("min.free.bytes", Long.MAX_VALUE / 4)));
        try {
            cache.importStream(new ByteArrayInputStream(new byte[10]), 8L << 20, "x.bin", null, null, false);
        } catch (StoreException e) {
            assertEquals("disk-full", e.reason());
        }
        assertEquals("stopped", cache.snapshot().labels().get("admission"));
    }

    /** Waits for the clock's next millisecond, so that the next item's "added" time differs ("newest first"). */
    private static void nextMillisecond() {
        long now = System.currentTimeMillis();
        while (System.currentTimeMillis() == now) {
            Thread.onSpinWait();
        }
    }

    private static List<String> ids(List<ContentItem> items) {
        return items.stream().map(ContentItem::id).toList();
    }
}
