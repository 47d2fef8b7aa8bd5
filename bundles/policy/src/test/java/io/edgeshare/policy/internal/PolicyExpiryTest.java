package io.edgeshare.policy.internal;

import static io.edgeshare.policy.internal.TestDocs.policy;
import static io.edgeshare.policy.internal.TestDocs.sign;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.edgeshare.api.policy.PolicyState;
import io.edgeshare.policy.internal.TestDocs.MapConfigs;
import io.edgeshare.policy.internal.TestDocs.MemoryStore;

/** Documents expire; the platform's re-signed copy of a generation already decided on is not a new offer. */
class PolicyExpiryTest {
    private static final Instant ISSUED = Instant.parse("2026-11-22T00:00:00Z");
    private static final Instant EXPIRES = Instant.parse("2026-12-22T00:00:00Z");

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-22T01:00:00Z"));
    private KeyPair platform;
    private MapConfigs configs;
    private MemoryStore store;
    private PolicyEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        platform = TestDocs.keyPair();
        configs = new MapConfigs();
        configs.configs.put("edgeshare.uplink", new LinkedHashMap<>(Map.of("broker.uri", "tcp://p:1883")));
        store = new MemoryStore();
        engine = newEngine(store);
    }

    private PolicyEngine newEngine(MemoryStore s) throws Exception {
        List<PolicyState> told = new ArrayList<>();
        PolicyEngine e = new PolicyEngine(configs, pids -> (g, t) -> "", s, clock, told::add);
        e.configure(TestDocs.trust(platform), "gw-1", Duration.ofSeconds(1));
        return e;
    }

    /** Generation {@code g} as the platform signs it at {@code issued}, valid until {@code expires}. */
    private byte[] document(long g, Instant issued, Instant expires) throws Exception {
        return sign(platform, policy(g).replace(ISSUED.toString(), issued.toString())
                .replace(EXPIRES.toString(), expires.toString()));
    }

    @Test
    void anExpiredDocumentIsRejectedWithItsReason() throws Exception {
        clock.now = EXPIRES.plusSeconds(1);
        PolicyState s = engine.offer(document(1, ISSUED, EXPIRES));
        assertEquals("rejected", s.lastOutcome());
        assertTrue(s.reason().startsWith("expired: generation 1 expired at 2026-12-22T00:00:00Z"), s.reason());
        assertEquals(0, s.runningGeneration());
        assertEquals(1L, engine.metrics().get("failures.expired"));
    }

    @Test
    void aDocumentWithoutExpiryIsInvalid() throws Exception {
        PolicyState s = engine.offer(sign(platform, policy(1).replace("\"expiresAt\":\"" + EXPIRES + "\",", "")));
        assertEquals("invalid: expiresAt is required (the platform signs every document with an expiry)",
                s.reason());
    }

    @Test
    void theRunningGenerationReSignedIsNeitherReappliedNorReplayed() throws Exception {
        assertEquals("applied", engine.offer(document(3, ISSUED, EXPIRES)).lastOutcome());
        configs.writes.clear();
        clock.now = Instant.parse("2026-12-12T00:00:00Z");
        byte[] renewed = document(3, clock.now, clock.now.plus(Duration.ofDays(30)));

        PolicyState s = engine.offer(renewed);

        assertEquals("applied", s.lastOutcome(), s.reason());
        assertEquals(3, s.runningGeneration());
        assertEquals(List.of(), configs.writes, "nothing re-applied");
        assertEquals(1L, engine.metrics().get("renewed"));
        assertArrayEquals(renewed, store.good, "the fresher document is the one kept for the next boot");
    }

    @Test
    void theRenewedDocumentOutlivesTheFirstOne() throws Exception {
        engine.offer(document(3, ISSUED, EXPIRES));
        Instant later = Instant.parse("2026-12-12T00:00:00Z");
        byte[] renewed = document(3, later, later.plus(Duration.ofDays(30)));
        engine.offer(renewed);
        clock.now = EXPIRES.plus(Duration.ofDays(1));

        PolicyState again = engine.offer(renewed); // the retained copy delivered again after a reconnect

        assertEquals("applied", again.lastOutcome(), again.reason());
        assertEquals(3, again.runningGeneration());
    }

    @Test
    void aReSignedCopyOfARejectedGenerationKeepsItsOutcome() throws Exception {
        engine.offer(document(1, ISSUED, EXPIRES));
        byte[] notForMe = sign(platform, policy(2).replace("[\"all\"]", "[\"gw-2\"]"));
        assertEquals("rejected", engine.offer(notForMe).lastOutcome());
        Instant later = ISSUED.plus(Duration.ofDays(20));
        byte[] renewed = sign(platform, policy(2).replace("[\"all\"]", "[\"gw-2\"]")
                .replace(ISSUED.toString(), later.toString()).replace(EXPIRES.toString(),
                        later.plus(Duration.ofDays(30)).toString()));

        PolicyState s = engine.offer(renewed);

        assertTrue(s.reason().startsWith("not-addressed:"), s.reason());
        assertEquals(1, s.runningGeneration());
        assertEquals(null, engine.metrics().get("failures.replayed"));
    }

    @Test
    void aGatewayThatLostItsStateRefusesACapturedDocumentOnceExpired() throws Exception {
        byte[] captured = document(7, ISSUED, EXPIRES);
        assertEquals("applied", engine.offer(captured).lastOutcome());

        clock.now = EXPIRES.plus(Duration.ofDays(2));
        PolicyEngine wiped = newEngine(new MemoryStore());
        PolicyState s = wiped.offer(captured);

        assertEquals("rejected", s.lastOutcome());
        assertTrue(s.reason().startsWith("expired:"), s.reason());
        assertEquals(0, s.runningGeneration());
    }

    @Test
    void anExpiredCopyOfTheRunningGenerationChangesNothing() throws Exception {
        byte[] first = document(4, ISSUED, EXPIRES);
        Instant later = Instant.parse("2026-12-12T00:00:00Z");
        engine.offer(first);
        engine.offer(document(4, later, later.plus(Duration.ofDays(30))));
        clock.now = EXPIRES.plusSeconds(60);

        PolicyState s = engine.offer(first);

        assertEquals("applied", s.lastOutcome(), s.reason());
        assertEquals(4, s.runningGeneration());
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
