package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Hot-item memory, query parsing, prefetch entries, media types. */
class SmallPartsTest {

    private static ByteBuffer buffer(int n) {
        return ByteBuffer.allocateDirect(n);
    }

    @Test
    void hotItemsStayWithinTheirBudgetLeastRecentlyUsedFirst() {
        HotItems hot = new HotItems(250_000);
        hot.put("a", buffer(100_000));
        hot.put("b", buffer(100_000));
        hot.get("a"); // a is now more recent than b
        hot.put("c", buffer(100_000));
        assertNull(hot.get("b"));
        assertEquals(100_000, hot.get("a").remaining());
        assertEquals(200_000, hot.usedBytes());
        hot.put("big", buffer(HotItems.MAX_ITEM + 1));
        assertNull(hot.get("big"), "items above the per-item limit are never kept");
        hot.setBudget(0);
        assertEquals(0, hot.usedBytes());
        assertNull(hot.get("a"));
    }

    @Test
    void hotItemViewsAreIndependent() {
        HotItems hot = new HotItems(1 << 20);
        hot.put("a", buffer(1000));
        ByteBuffer one = hot.get("a");
        one.position(500);
        assertEquals(0, hot.get("a").position());
    }

    @Test
    void queryStringReadsOnlyTheUrl() {
        Map<String, String> q = QueryString.parse("title=My%20clip.mp4&pin=true&url=http%3A%2F%2Fa%2Fb%3Fx%3D1&bad=%zz&flag");
        assertEquals("My clip.mp4", q.get("title"));
        assertEquals("true", q.get("pin"));
        assertEquals("http://a/b?x=1", q.get("url"));
        assertEquals("", q.get("flag"));
        assertNull(q.get("bad"));
        assertEquals(Map.of(), QueryString.parse(null));
    }

    @Test
    void prefetchEntries() {
        assertEquals(new Settings.PrefetchEntry("https://cdn/x.mp4", null, null),
                Settings.PrefetchEntry.parse(" https://cdn/x.mp4 "));
        assertEquals(new Settings.PrefetchEntry("https://cdn/x.mp4", "video", "Mall promo | spring"),
                Settings.PrefetchEntry.parse("https://cdn/x.mp4|video|Mall promo | spring"));
    }

    @Test
    void mediaTypesAndCategories() {
        assertEquals("video/mp4", MediaTypes.forFileName("Clip.MP4"));
        assertEquals("application/octet-stream", MediaTypes.forFileName("README"));
        assertEquals("video/mp4", MediaTypes.normalise("Video/MP4; codecs=avc1"));
        assertNull(MediaTypes.normalise("not a type"));
        assertEquals("game", MediaTypes.categoryOf("application/vnd.android.package-archive"));
        assertEquals("audio", MediaTypes.categoryOf("audio/mpeg"));
        assertEquals("other", MediaTypes.categoryOf("application/octet-stream"));
    }
}
