package io.edgeshare.ap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;


import org.junit.jupiter.api.Test;

import io.edgeshare.api.ap.NearbySharer;

/** What a DNS-SD advertisement heard on the link may turn into: only well-formed K6 adverts of others. */
class MdnsDiscoveryTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static NearbySharer heard(Map<String, String> txt, String selfId) throws Exception {
        return MdnsDiscovery.toSharer("Gateway A", txt::get, new InetAddress[] { InetAddress.getByName("10.77.0.1") },
                8081, selfId, NOW);
    }

    private static Map<String, String> txt(String id) {
        Map<String, String> t = new HashMap<>(new MdnsDiscovery.Advert(id, "Gateway A", 8081, 7, List.of("main"),
                "http://10.77.0.1:8081/").txt());
        return t;
    }

    @Test
    void wellFormedAdvertBecomesAnMdnsSharer() throws Exception {
        NearbySharer s = heard(txt("gw-a"), "gw-b");
        assertEquals("gw-a", s.deviceId());
        assertEquals("Gateway A", s.displayName());
        assertEquals("http://10.77.0.1:8081", s.baseUrl());
        assertEquals(Set.of("mdns"), s.sources());
        assertEquals(NOW, s.lastSeen());
    }

    @Test
    void strangerWithABadDeviceIdIsIgnored() throws Exception {
        assertNull(heard(txt("gw a/../x"), "gw-b"));
    }

    @Test
    void advertWithoutVersionIsIgnored() throws Exception {
        Map<String, String> t = txt("gw-a");
        t.remove("v");
        assertNull(heard(t, "gw-b"));
    }

    @Test
    void ourOwnAdvertIsIgnored() throws Exception {
        assertNull(heard(txt("gw-b"), "gw-b"));
    }

    @Test
    void advertWithoutPortIsIgnored() throws Exception {
        assertNull(MdnsDiscovery.toSharer("A", txt("gw-a")::get, new InetAddress[] { InetAddress.getByName("10.77.0.1") },
                0, "gw-b", NOW));
    }

    @Test
    void txtCarriesTheK6Keys() {
        assertEquals(Map.of("id", "gw-a", "rev", "7", "channels", "main,talk", "portal", "http://x/", "v", "1"),
                new MdnsDiscovery.Advert("gw-a", "A", 1, 7, List.of("main", "talk"), "http://x/").txt());
    }
}
