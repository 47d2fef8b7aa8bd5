package io.edgeshare.platform.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NearbyIndexTest {
    private final NearbyIndex index = new NearbyIndex(300);

    @Test
    void gatewaysWithinRangeSeeEachOtherWithTheirContent() {
        index.presence("louvre", true, 48.86110, 2.33590, "http://l/");
        index.presence("rivoli", true, 48.86190, 2.33790, "http://r/"); // ~170 m
        index.presence("eiffel", true, 48.85840, 2.29450, "http://e/"); // ~3 km
        index.catalog("rivoli", true, List.of("a", "b"), List.of());

        List<NearbyIndex.Sharer> forLouvre = index.sharersFor("louvre");
        assertEquals(1, forLouvre.size());
        assertEquals("rivoli", forLouvre.get(0).deviceId());
        assertEquals(List.of("a", "b"), forLouvre.get(0).contentIds());
        assertTrue(forLouvre.get(0).distanceM() > 100 && forLouvre.get(0).distanceM() < 250);
        assertEquals(List.of(), index.sharersFor("eiffel"));
    }

    @Test
    void changesAreReportedOnceAndFollowCatalogAndPresence() {
        index.presence("louvre", true, 48.86110, 2.33590, "http://l/");
        index.presence("rivoli", true, 48.86190, 2.33790, "http://r/");
        Map<String, List<NearbyIndex.Sharer>> first = index.changes();
        assertEquals(2, first.size());
        assertEquals(Map.of(), index.changes(), "nothing changed, nothing to publish");

        index.catalog("rivoli", false, List.of("c"), List.of());
        assertEquals(List.of("louvre"), List.copyOf(index.changes().keySet()), "only louvre's view changed");

        index.presence("rivoli", false, 0, 0, "");
        Map<String, List<NearbyIndex.Sharer>> gone = index.changes();
        assertEquals(List.of(), gone.get("louvre"), "an offline sharer leaves the list");
    }
}
