package io.edgeshare.uplink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The platform's pushed list as the gateway's sharers. */
class PushedNearbySharersTest {
    private final PushedNearbySharers sharers = new PushedNearbySharers();

    private void push(String json) {
        sharers.update(json.getBytes(StandardCharsets.UTF_8), "gw-self");
    }

    @Test
    void theSharersNameBecomesItsDisplayName() {
        push("{\"generatedAt\":\"2026-11-22T00:12:00Z\",\"sharers\":[{\"deviceId\":\"gw-rivoli\",\"name\":\"Café Rivoli\","
                + "\"baseUrl\":\"http://10.0.0.2:8081/\",\"distanceM\":162.4,\"contentIds\":[\"a\"]}]}");
        assertEquals("Café Rivoli", sharers.sharers().get(0).displayName());
    }

    @Test
    void withoutANameTheDeviceIdIsShown() {
        push("{\"generatedAt\":\"2026-11-22T00:12:00Z\",\"sharers\":[{\"deviceId\":\"gw-rivoli\","
                + "\"baseUrl\":\"http://10.0.0.2:8081/\",\"distanceM\":162.4,\"contentIds\":[]}]}");
        assertEquals("gw-rivoli", sharers.sharers().get(0).displayName());
    }
}
