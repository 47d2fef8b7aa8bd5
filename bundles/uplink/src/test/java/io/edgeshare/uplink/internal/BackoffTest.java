package io.edgeshare.uplink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceilingDoublesUpToMaxAndResets() {
        Backoff b = new Backoff(1000, 8000, () -> 1.0); // always the top of the window
        assertEquals(1000, b.nextDelayMs());
        assertEquals(2000, b.nextDelayMs());
        assertEquals(4000, b.nextDelayMs());
        assertEquals(8000, b.nextDelayMs());
        assertEquals(8000, b.nextDelayMs());
        b.reset();
        assertEquals(1000, b.nextDelayMs());
    }

    @Test
    void jitterSpreadsAFleetOverTheWholeWindow() {
        Random random = new Random(7);
        Set<Long> buckets = new HashSet<>();
        for (int gateway = 0; gateway < 1000; gateway++) {
            Backoff b = new Backoff(1000, 60000, random::nextDouble);
            for (int i = 0; i < 6; i++) {
                b.nextDelayMs();
            }
            long d = b.nextDelayMs(); // 7th attempt: window 1 s .. 60 s
            assertTrue(d >= 1000 && d <= 60000, "delay " + d);
            buckets.add(d / 5000);
        }
        assertEquals(12, buckets.size(), "1000 gateways should land in every 5 s slice of the window");
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(10, 5, () -> 0));
    }
}
