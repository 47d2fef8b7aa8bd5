package io.edgeshare.portal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.edgeshare.api.ap.NearbySharer;

class NearbyViewTest {

    private static NearbySharer sharer(String id, String url, double distance, String... items) {
        return new NearbySharer(id, id + " name", "", url, distance, List.of(items), Set.of("platform"), null);
    }

    @Test
    void onlyAbsoluteHttpUrlsWithoutCredentialsArePassedOn() {
        assertEquals("http://10.0.0.2:8081", NearbyView.safeHttpUrl("http://10.0.0.2:8081/"));
        assertEquals("https://gw.example", NearbyView.safeHttpUrl("HTTPS://gw.example"));
        assertNull(NearbyView.safeHttpUrl("javascript:alert(1)"));
        assertNull(NearbyView.safeHttpUrl("data:text/html,<b>x</b>"));
        assertNull(NearbyView.safeHttpUrl("//gw.example/"));
        assertNull(NearbyView.safeHttpUrl("http://user:pw@gw.example/"));
        assertNull(NearbyView.safeHttpUrl("http://bad host/"));
    }

    @Test
    void holdersAreTheNearestThatListTheItemAtMostLimit() {
        List<NearbySharer> sorted = NearbyView.nearestFirst(List.of(sharer("far", "http://far", 900, "x"),
                sharer("unknown", "http://unknown", Double.NaN, "x"), sharer("near", "http://near", 40, "x"),
                sharer("other", "http://other", 10, "y"), sharer("mid", "http://mid", 300, "x")));
        List<Map<String, Object>> holders = NearbyView.holders(sorted, "x", 3);
        assertEquals(List.of("near", "mid", "far"), holders.stream().map(h -> h.get("deviceId")).toList());
        assertEquals("http://near/content/x", holders.get(0).get("url"));
    }

    @Test
    void aSharerWithAHostileUrlHasNoLinkAndAClippedPrintableName() {
        NearbySharer s = new NearbySharer("evil", "<img src=x onerror=alert(1)>\u0007" + "a".repeat(200), "",
                "javascript:alert(1)", 5, List.of(), Set.of("mdns"), null);
        Map<String, Object> view = NearbyView.sharer(s);
        assertNull(view.get("portalUrl"));
        String name = (String) view.get("name");
        assertEquals(NearbyView.MAX_NAME + 1, name.length());
        assertEquals(-1, name.indexOf('\u0007'));
    }
}
