package io.edgeshare.platform.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.edgeshare.protocol.Location;
import io.edgeshare.protocol.Presence;

class FleetRegistryTest {
    private final FleetRegistry registry = new FleetRegistry(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
            ZoneOffset.UTC));

    private static Presence birth(String id, long seq) {
        return Presence.birth(id, seq, Instant.parse("2026-01-01T00:00:00Z"), "m", "mall-ap", "1.0",
                new Location(48.1, 2.3), "http://x/", Map.of(), List.of("cache"));
    }

    @Test
    void birthThenMatchingDeathGoesOffline() {
        registry.birth(birth("gw-1", 5));
        assertTrue(registry.get("gw-1").orElseThrow().online());
        assertTrue(registry.death("gw-1", 5));
        assertFalse(registry.get("gw-1").orElseThrow().online());
        assertEquals("mall-ap", registry.get("gw-1").orElseThrow().profile(), "death keeps what the birth said");
    }

    @Test
    void lateWillOfAnOlderSessionIsIgnored() {
        registry.birth(birth("gw-1", 5));
        registry.birth(birth("gw-1", 6)); // quick reconnect
        assertFalse(registry.death("gw-1", 5), "will of session 5 arrives after birth 6");
        assertTrue(registry.get("gw-1").orElseThrow().online());
    }

    @Test
    void olderRetainedBirthDoesNotOverwrite() {
        registry.birth(birth("gw-1", 7));
        registry.birth(birth("gw-1", 3));
        assertEquals(7, registry.get("gw-1").orElseThrow().birthSeq());
    }

    @Test
    void reportsAreKeptPerGateway() {
        registry.birth(birth("gw-2", 1));
        registry.report("gw-2", Map.of("cache", Map.of("metrics", Map.of("bytes.saved", 10))));
        assertEquals(1, registry.get("gw-2").orElseThrow().lastReport().size());
        assertEquals(List.of("gw-2"), registry.list().stream().map(GatewayState::deviceId).toList());
    }
}
