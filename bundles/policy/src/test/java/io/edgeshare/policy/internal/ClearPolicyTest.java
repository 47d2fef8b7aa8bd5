package io.edgeshare.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.edgeshare.api.policy.PolicyState;
import io.edgeshare.policy.internal.TestDocs.MapConfigs;
import io.edgeshare.policy.internal.TestDocs.MemoryStore;

/** A signed {@code clear} document takes the gateway back to its profile's own values (generation 0). */
class ClearPolicyTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T01:00:00Z"), ZoneOffset.UTC);
    private KeyPair platform;
    private MapConfigs configs;
    private MemoryStore store;
    private PolicyEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        platform = TestDocs.keyPair();
        configs = new MapConfigs();
        // the profile's own values, as FileInstall put them from etc/
        configs.configs.put("edgeshare.uplink", new LinkedHashMap<>(Map.of("broker.uri", "tcp://p:1883",
                "report.interval.s", "30")));
        configs.configs.put("edgeshare.audio.channel~main", new LinkedHashMap<>(Map.of("id", "main",
                "max.listeners", 20)));
        store = new MemoryStore();
        engine = newEngine();
    }

    private PolicyEngine newEngine() throws Exception {
        PolicyEngine e = new PolicyEngine(configs, pids -> (g, t) -> "", store, clock, s -> { });
        e.configure(TestDocs.trust(platform), "gw-1", Duration.ofSeconds(1));
        return e;
    }

    private PolicyState offer(String payload) throws Exception {
        return engine.offer(TestDocs.sign(platform, payload));
    }

    private static String clear(long g) {
        return """
                {"schema":1,"generation":%d,"issuedAt":"2026-11-22T00:00:00Z","expiresAt":"2026-12-22T00:00:00Z",
                 "targets":["gw-1"],"comment":"back to the profile's own values","clear":true}""".formatted(g);
    }

    @Test
    void aClearPutsBackWhatThePolicyChanged() throws Exception {
        assertEquals("applied", offer(TestDocs.policy(1)).lastOutcome());
        assertEquals(15, configs.configs.get("edgeshare.uplink").get("report.interval.s"));
        assertEquals(50, configs.configs.get("edgeshare.audio.channel~main").get("max.listeners"));

        PolicyState s = offer(clear(2));
        assertEquals("applied", s.lastOutcome(), s.reason());
        assertEquals(2, s.runningGeneration());
        Map<String, Object> uplink = configs.configs.get("edgeshare.uplink");
        assertEquals("30", uplink.get("report.interval.s"), "the profile's value, with its type");
        assertEquals("tcp://p:1883", uplink.get("broker.uri"));
        Map<String, Object> main = configs.configs.get("edgeshare.audio.channel~main");
        assertEquals(20, main.get("max.listeners"));
        assertFalse(main.containsKey("admission.mode"), "a key the profile did not have is removed");
        assertFalse(configs.configs.get("edgeshare.ap").containsKey("passphrase"));
        assertEquals(2L, main.get(ConfigPlan.GENERATION_KEY));
    }

    @Test
    void aRevertedPolicyLeavesNothingForAClearToUndo() throws Exception {
        configs.failWrite.add("edgeshare.uplink");
        assertEquals("reverted", offer(TestDocs.policy(1)).lastOutcome());
        configs.failWrite.clear();
        configs.writes.clear();
        assertEquals("applied", offer(clear(2)).lastOutcome());
        assertEquals(java.util.List.of(), configs.writes, "nothing to put back, nothing written");
    }

    @Test
    void theProfileValueIsTheOneBeforeTheFirstPolicyAcrossARestart() throws Exception {
        offer(TestDocs.policy(1));
        offer(TestDocs.policy(2).replace("\"intervalSeconds\":15", "\"intervalSeconds\":99"));
        assertEquals(99, configs.configs.get("edgeshare.uplink").get("report.interval.s"));
        engine = newEngine(); // a reboot: the baseline comes back from the data directory
        assertEquals("applied", offer(clear(3)).lastOutcome());
        assertEquals("30", configs.configs.get("edgeshare.uplink").get("report.interval.s"));
        assertEquals(0, engine.reassert(), "after a clear nothing is reasserted over the profile");
    }

    @Test
    void aPolicyAfterAClearStartsAFreshBaseline() throws Exception {
        offer(TestDocs.policy(1));
        offer(clear(2));
        configs.configs.get("edgeshare.uplink").put("report.interval.s", "45"); // the operator edited etc/
        offer(TestDocs.policy(3));
        assertEquals("applied", offer(clear(4)).lastOutcome());
        assertEquals("45", configs.configs.get("edgeshare.uplink").get("report.interval.s"));
    }

    @Test
    void aClearWithSectionsIsInvalid() throws Exception {
        PolicyState s = offer(clear(1).replace("\"clear\":true", "\"clear\":true,\"reporting\":{\"intervalSeconds\":5}"));
        assertEquals("rejected", s.lastOutcome());
        assertTrue(s.reason().startsWith("invalid: clear must come without sections (it has 'reporting')"), s.reason());
    }
}
