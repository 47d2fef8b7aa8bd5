package io.edgeshare.platform.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        index.catalog("rivoli", true, 4, -1, List.of("a", "b"), List.of());

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

        index.catalog("rivoli", true, 1, -1, List.of(), List.of());
        index.changes();
        assertTrue(index.catalog("rivoli", false, 2, 1, List.of("c"), List.of()));
        assertEquals(List.of("louvre"), List.copyOf(index.changes().keySet()), "only louvre's view changed");

        index.presence("rivoli", false, 0, 0, "");
        Map<String, List<NearbyIndex.Sharer>> gone = index.changes();
        assertEquals(List.of(), gone.get("louvre"), "an offline sharer leaves the list");
    }

    @Test
    void aDeltaFromAnotherRevisionIsNotApplied() {
        index.presence("louvre", true, 48.86110, 2.33590, "http://l/");
        index.presence("rivoli", true, 48.86190, 2.33790, "http://r/");
        index.catalog("rivoli", true, 37, -1, List.of("a"), List.of());
        assertFalse(index.catalog("rivoli", false, 39, 38, List.of("b"), List.of("a")), "38 -> 39 while holding 37");
        assertEquals(List.of("a"), index.sharersFor("louvre").get(0).contentIds());
    }

    @Test
    void aDeltaBeforeAnyFullListIsNotApplied() {
        index.presence("louvre", true, 48.86110, 2.33590, "http://l/");
        index.presence("rivoli", true, 48.86190, 2.33790, "http://r/");
        assertFalse(index.catalog("rivoli", false, 2, 1, List.of("b"), List.of()));
        assertEquals(List.of(), index.sharersFor("louvre").get(0).contentIds());
    }

    @Test
    void aDeltaFromTheHeldRevisionIsApplied() {
        index.presence("louvre", true, 48.86110, 2.33590, "http://l/");
        index.presence("rivoli", true, 48.86190, 2.33790, "http://r/");
        index.catalog("rivoli", true, 37, -1, List.of("a"), List.of());
        assertTrue(index.catalog("rivoli", false, 38, 37, List.of("b"), List.of("a")));
        assertTrue(index.catalog("rivoli", false, 39, 38, List.of("c"), List.of()));
        assertEquals(List.of("b", "c"), index.sharersFor("louvre").get(0).contentIds());
    }
}
