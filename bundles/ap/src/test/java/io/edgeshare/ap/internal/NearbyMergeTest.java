package io.edgeshare.ap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.edgeshare.api.ap.NearbySharer;

class NearbyMergeTest {
    private static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-01T10:05:00Z");

    private static NearbySharer platform(String id, double distance) {
        return new NearbySharer(id, "EdgeShare-" + id, "http://203.0.113.5:8081", distance, List.of("c1", "c2"));
    }

    private static NearbySharer mdns(String id, String name, Instant seen) {
        return new NearbySharer(id, name, "", "http://10.77.0.1:8081", Double.NaN, List.of(),
                Set.of(NearbySharer.SOURCE_MDNS), seen);
    }

    private static NearbySharer radio(String id, String ssid, Instant seen) {
        return new NearbySharer(id, id, ssid, "", Double.NaN, List.of(), Set.of(NearbySharer.SOURCE_RADIO), seen);
    }

    @Test
    void oneEntryPerDeviceWithEverySource() {
        List<NearbySharer> m = NearbyMerge.merge(List.of(platform("gw-a", 40)), List.of(mdns("gw-a", "Louvre", T1)),
                List.of(radio("gw-a", "Louvre free", T2)), "gw-self");
        assertEquals(1, m.size());
        NearbySharer s = m.get(0);
        assertEquals(Set.of("platform", "mdns", "radio"), s.sources());
        assertEquals(T2, s.lastSeen());
        assertEquals("Louvre", s.displayName());
        assertEquals("Louvre free", s.ssid());
        assertEquals("http://10.77.0.1:8081", s.baseUrl(), "the local link wins over the platform's address");
        assertEquals(40, s.distanceM());
        assertEquals(List.of("c1", "c2"), s.contentIds());
    }

    @Test
    void selfIsLeftOut() {
        assertTrue(NearbyMerge.merge(List.of(), List.of(mdns("gw-self", "Me", T1)), List.of(), "gw-self").isEmpty());
    }

    @Test
    void knownDistanceFirstThenUnknown() {
        List<NearbySharer> m = NearbyMerge.merge(List.of(platform("gw-far", 300), platform("gw-near", 20)),
                List.of(mdns("gw-local", "Local", T1)), List.of(), "gw-self");
        assertEquals(List.of("gw-near", "gw-far", "gw-local"), m.stream().map(NearbySharer::deviceId).toList());
    }

    @Test
    void radioOnlySharerKeepsItsSourceAndTime() {
        NearbySharer s = NearbyMerge.merge(List.of(), List.of(), List.of(radio("gw-r", "R~es", T1)), "x").get(0);
        assertEquals(Set.of("radio"), s.sources());
        assertEquals(T1, s.lastSeen());
        assertEquals("", s.baseUrl());
    }
}
