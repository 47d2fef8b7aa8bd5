package io.edgeshare.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DiscoveryTest {

    @Test
    void aDnsSdAnswerBecomesASharerPerK6() {
        Sharer s = Discovery.fromDnsSd("Louvre kiosk", "192.168.4.1", 8081,
                Map.of("id", "gw-louvre", "rev", "7", "channels", "main, lobby", "portal", "http://192.168.4.1:8081/",
                        "v", "1"));
        assertEquals("gw-louvre", s.deviceId());
        assertEquals("Louvre kiosk", s.name());
        assertEquals("http://192.168.4.1:8081", s.baseUrl());
        assertEquals(List.of("main", "lobby"), s.channels());
        assertEquals(Set.of("mdns"), s.sources());
        assertTrue(Double.isNaN(s.distanceM()));
    }

    @Test
    void anIpv6AddressIsBracketed() {
        assertEquals("http://[fe80::1]:8081", Discovery.fromDnsSd("x", "fe80::1", 8081, Map.of()).baseUrl());
    }

    @Test
    void anAnswerWithoutAddressOrPortIsDropped() {
        assertNull(Discovery.fromDnsSd("x", "", 8081, Map.of()));
        assertNull(Discovery.fromDnsSd("x", "10.0.0.1", 0, Map.of()));
    }

    @Test
    void peerSuppliedNamesLoseTerminalEscapes() {
        Sharer s = Discovery.fromDnsSd("evil\u001b[2Jname", "10.0.0.1", 80, Map.of("id", "a\rb"));
        assertEquals("evil [2Jname", s.name());
        assertEquals("a b", s.deviceId());
    }
}
