package io.edgeshare.platform.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RosterTest {
    private static final long STALE = TimeUnit.SECONDS.toNanos(35);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private Roster roster(String self) {
        Roster r = new Roster(self, STALE, now::get);
        r.self(true);
        return r;
    }

    @Test
    void theLowestOnlineNodeLeads() {
        Roster b = roster("node-b");
        assertTrue(b.leader(), "alone");
        b.seen(new Roster.Entry("node-a", "edgeshare-platform-node-a", true));
        assertFalse(b.leader());
    }

    @Test
    void aDeadLeadersWillHandsOverAndNamesTheSessionToDrain() {
        Roster b = roster("node-b");
        b.seen(new Roster.Entry("node-a", "edgeshare-platform-node-a", true));
        assertTrue(b.seen(new Roster.Entry("node-a", "edgeshare-platform-node-a", false)), "went offline");
        assertTrue(b.leader());
        assertEquals(List.of("edgeshare-platform-node-a"), b.offline());
    }

    @Test
    void anEntryNotRefreshedCountsOfflineOnlyAfterWeListenedLongEnough() {
        Roster b = roster("node-b");
        b.seen(new Roster.Entry("node-a", "edgeshare-platform-node-a", true));
        now.addAndGet(STALE - 1);
        assertEquals(List.of(), b.expire());
        assertFalse(b.leader());
        now.addAndGet(2);
        assertEquals(List.of("edgeshare-platform-node-a"), b.expire());
        assertTrue(b.leader());
    }

    @Test
    void aNodeDisconnectedFromTheBrokerDoesNotLead() {
        Roster a = roster("node-a");
        a.self(false);
        assertFalse(a.leader());
    }

    @Test
    void garbageIsNoEntry() {
        assertNull(Roster.decode("not json".getBytes(StandardCharsets.UTF_8)));
        assertNull(Roster.decode("{\"node\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        assertNull(Roster.decode(new byte[0]));
    }
}
