package io.edgeshare.policy.internal;

import static io.edgeshare.policy.internal.TestDocs.policy;
import static io.edgeshare.policy.internal.TestDocs.sign;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.edgeshare.api.policy.PolicyState;
import io.edgeshare.policy.internal.TestDocs.MapConfigs;
import io.edgeshare.policy.internal.TestDocs.MemoryStore;

class PolicyEngineTest {
    private static final String VALID = "\"expiresAt\":\"2026-12-22T00:00:00Z\",";
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T01:00:00Z"), ZoneOffset.UTC);
    private KeyPair platform;
    private MapConfigs configs;
    private MemoryStore store;
    private List<PolicyState> told;
    private String healthProblem;
    private PolicyEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        platform = TestDocs.keyPair();
        configs = new MapConfigs();
        configs.configs.put("edgeshare.uplink", new LinkedHashMap<>(Map.of("broker.uri", "tcp://p:1883",
                "report.interval.s", "30", "felix.fileinstall.filename", "file:/etc/edgeshare.uplink.cfg")));
        configs.configs.put("edgeshare.audio.channel~main", new LinkedHashMap<>(Map.of("id", "main")));
        configs.configs.put("edgeshare.audio.channel~lobby", new LinkedHashMap<>(Map.of("id", "lobby")));
        store = new MemoryStore();
        told = new ArrayList<>();
        healthProblem = "";
        engine = newEngine();
    }

    private PolicyEngine newEngine() throws Exception {
        PolicyEngine e = new PolicyEngine(configs, pids -> (g, t) -> healthProblem, store, clock, told::add);
        e.configure(TestDocs.trust(platform), "gw-1", Duration.ofSeconds(1));
        return e;
    }

    private PolicyState offer(String payload) throws Exception {
        return engine.offer(sign(platform, payload));
    }

    @Test
    void aPrefetchSha256VouchedForByThePolicyReachesTheCacheEntry() throws Exception {
        String sha = "9a1e".repeat(16);
        PolicyState s = offer(policy(1).replace("\"title\":\"Promo\"}", "\"title\":\"Promo\",\"sha256\":\"" + sha + "\"}"));
        assertEquals("applied", s.lastOutcome(), s.reason());
        assertArrayEquals(new String[] { "https://cdn.example.com/promo.mp4|video|Promo|" + sha },
                (String[]) configs.configs.get("edgeshare.cache").get("prefetch"));
    }

    @Test
    void aPrefetchSha256ThatIsNotSixtyFourHexDigitsIsRejected() throws Exception {
        assertRejected(offer(policy(1).replace("\"title\":\"Promo\"}", "\"title\":\"Promo\",\"sha256\":\"abc\"}")),
                "invalid: cache.prefetch[0].sha256 must be 64 lower-case hex digits", 0);
    }

    @Test
    void aPolicyRaisingDownloadsPastTheDevicesBudgetIsRejectedAndNothingChanges() throws Exception {
        engine.configure(TestDocs.trust(platform), "gw-1", Duration.ofSeconds(1), new Budget(16, 0));
        Map<String, Map<String, Object>> before = snapshot();
        assertRejected(offer(policy(1)), "over-budget: sharing.maxConcurrentDownloads 32 is above this device's "
                + "budget of 16", 0);
        assertEquals(before, snapshot());
    }

    @Test
    void aPolicyAskingForUnlimitedListenersIsAboveAnyListenerCeiling() throws Exception {
        engine.configure(TestDocs.trust(platform), "gw-1", Duration.ofSeconds(1), new Budget(0, 50));
        assertRejected(offer(policy(1).replace("\"maxListeners\":50", "\"maxListeners\":0")),
                "over-budget: audio.maxListeners 0 (no limit) is above this device's budget of 50", 0);
    }

    @Test
    void aPolicyAtTheDevicesCeilingsIsApplied() throws Exception {
        engine.configure(TestDocs.trust(platform), "gw-1", Duration.ofSeconds(1), new Budget(32, 50));
        PolicyState s = offer(policy(1));
        assertEquals("applied", s.lastOutcome(), s.reason());
    }

    @Test
    void appliesAValidPolicyToEveryConfigurationItNames() throws Exception {
        PolicyState s = offer(policy(1));
        assertEquals("applied", s.lastOutcome(), s.reason());
        assertEquals(1, s.runningGeneration());
        assertEquals(1, s.lastOffered());
        assertEquals("", s.reason());

        Map<String, Object> cache = configs.configs.get("edgeshare.cache");
        assertArrayEquals(new String[] { "video", "image" }, (String[]) cache.get("allowed.categories"));
        assertEquals(104857600L, cache.get("max.item.bytes"));
        assertEquals(2000000L, cache.get("client.rate.bytes.per.s"));
        assertEquals(32, cache.get("max.concurrent.downloads"));
        assertEquals(1_000_000_001L, cache.get("quota.bytes"));
        assertEquals(true, cache.get("sharing.enabled"));
        assertArrayEquals(new String[] { "https://cdn.example.com/promo.mp4|video|Promo" },
                (String[]) cache.get("prefetch"));
        assertEquals(1L, cache.get(ConfigPlan.GENERATION_KEY));

        Map<String, Object> ap = configs.configs.get("edgeshare.ap");
        assertEquals("Mall Free WiFi", ap.get("ssid"));
        assertEquals("wpa2-psk", ap.get("security"));
        assertEquals("correct horse", ap.get("passphrase"));
        assertEquals(64, ap.get("max.stations"));
        assertArrayEquals(new String[] { "08:00-22:00" }, (String[]) ap.get("on.hours"));

        for (String ch : List.of("edgeshare.audio.channel~main", "edgeshare.audio.channel~lobby")) {
            Map<String, Object> a = configs.configs.get(ch);
            assertEquals("capped", a.get("admission.mode"));
            assertEquals(50, a.get("max.listeners"));
            assertEquals(3, a.get("breaks.every"));
            assertTrue(a.containsKey("id"), "other keys are kept");
        }
        Map<String, Object> uplink = configs.configs.get("edgeshare.uplink");
        assertEquals(15, uplink.get("report.interval.s"));
        assertEquals("tcp://p:1883", uplink.get("broker.uri"));
        assertEquals("file:/etc/edgeshare.uplink.cfg", uplink.get("felix.fileinstall.filename"));

        assertArrayEquals(sign(platform, policy(1)).length > 0 ? store.good : null, store.good);
        assertEquals(1, told.size());
        assertEquals("applied", told.get(0).lastOutcome());
        assertEquals(1L, engine.metrics().get("applied"));
    }

    @Test
    void rejectsAnUnsignedDocument() throws Exception {
        offer(policy(1));
        String payload = Base64.getEncoder().encodeToString(policy(2).getBytes(StandardCharsets.UTF_8));
        PolicyState s = engine.offer(("{\"format\":\"edgeshare-policy/1\",\"payload\":\"" + payload + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertRejected(s, "unsigned: ", 1);
        assertEquals(2, s.lastOffered(), "the claimed generation is reported");
        PolicyState empty = engine.offer(("{\"format\":\"edgeshare-policy/1\",\"payload\":\"" + payload
                + "\",\"signature\":\"\"}").getBytes(StandardCharsets.UTF_8));
        assertRejected(empty, "unsigned: ", 1);
    }

    @Test
    void rejectsABadSignature() throws Exception {
        offer(policy(1));
        byte[] good = sign(platform, policy(2));
        String text = new String(good, StandardCharsets.UTF_8);
        // same signature over a different payload: someone edited the document on its way
        String otherPayload = Base64.getEncoder().encodeToString(policy(2).replace("\"maxListeners\":50",
                "\"maxListeners\":5000").getBytes(StandardCharsets.UTF_8));
        String tampered = text.replaceAll("\"payload\":\"[^\"]*\"", "\"payload\":\"" + otherPayload + "\"");
        assertRejected(engine.offer(tampered.getBytes(StandardCharsets.UTF_8)), "bad-signature: ", 1);
        // a garbled signature of the wrong length
        String garbled = text.replaceAll("\"signature\":\"[^\"]*\"", "\"signature\":\"AAAA\"");
        assertRejected(engine.offer(garbled.getBytes(StandardCharsets.UTF_8)), "bad-signature: ", 1);
        assertEquals(50, configs.configs.get("edgeshare.audio.channel~main").get("max.listeners"));
    }

    @Test
    void rejectsADocumentSignedWithAnotherKey() throws Exception {
        offer(policy(1));
        KeyPair stranger = TestDocs.keyPair();
        PolicyState named = engine.offer(TestDocs.envelope(stranger, policy(2).getBytes(StandardCharsets.UTF_8),
                true));
        assertRejected(named, "unknown-key: signed with key " + PlatformKeys.keyId(stranger.getPublic()), 1);
        PolicyState unnamed = engine.offer(TestDocs.envelope(stranger, policy(2).getBytes(StandardCharsets.UTF_8),
                false));
        assertRejected(unnamed, "bad-signature: ", 1);
    }

    @Test
    void rejectsEverythingWithoutAProvisionedKey() throws Exception {
        engine.configure(PlatformKeys.none(), "gw-1", Duration.ofSeconds(1));
        assertRejected(offer(policy(1)), "no-key: ", 0);
        assertFalse(configs.configs.containsKey("edgeshare.cache"));
    }

    @Test
    void aRedeliveredDocumentChangesNothing() throws Exception {
        offer(policy(1));
        int writes = configs.writes.size();
        PolicyState again = offer(policy(1));
        assertEquals("applied", again.lastOutcome());
        assertEquals(1, again.runningGeneration());
        assertEquals(writes, configs.writes.size());
        assertEquals(1L, engine.metrics().get("duplicates"));
        assertEquals(0L, engine.metrics().get("rejected"));
    }

    @Test
    void rejectsAReplayedGenerationWithDifferentContent() throws Exception {
        offer(policy(1));
        PolicyState s = offer(policy(1).replace("\"breaksEvery\":3", "\"breaksEvery\":4"));
        assertRejected(s, "replayed: generation 1 was already offered", 1);
        assertEquals(3, configs.configs.get("edgeshare.audio.channel~main").get("breaks.every"));
    }

    @Test
    void rejectsAnOlderGeneration() throws Exception {
        offer(policy(5));
        PolicyState s = offer(policy(4));
        assertRejected(s, "older: generation 4 is older than generation 5", 5);
        assertEquals(4, s.lastOffered());
        assertEquals(1_000_000_005L, configs.configs.get("edgeshare.cache").get("quota.bytes"));
    }

    @Test
    void rejectsMalformedDocuments() throws Exception {
        offer(policy(1));
        assertRejected(engine.offer("{not json".getBytes(StandardCharsets.UTF_8)), "malformed: document is not valid JSON", 1);
        assertRejected(engine.offer(new byte[0]), "malformed: empty document", 1);
        assertRejected(engine.offer("[1,2]".getBytes(StandardCharsets.UTF_8)), "malformed: document is not a JSON object", 1);
        assertRejected(engine.offer("{\"format\":\"edgeshare-policy/1\",\"payload\":\"%%%\",\"signature\":\"AA==\"}"
                .getBytes(StandardCharsets.UTF_8)), "malformed: envelope field 'payload' is not base64", 1);
        assertRejected(engine.offer("{\"format\":\"other/9\",\"payload\":\"e30=\",\"signature\":\"AA==\"}"
                .getBytes(StandardCharsets.UTF_8)), "malformed: unsupported format 'other/9'", 1);
        assertRejected(engine.offer(new byte[] { '{', (byte) 0xC3, '}' }), "malformed: document is not valid UTF-8", 1);
        assertRejected(engine.offer(sign(platform, "{\"schema\":1,")), "malformed: payload is not valid JSON", 1);
        assertRejected(engine.offer((new String(sign(platform, policy(2)), StandardCharsets.UTF_8) + " {}")
                .getBytes(StandardCharsets.UTF_8)), "malformed: document has data after the JSON value", 1);
        assertEquals(8L, engine.metrics().get("failures.malformed"));
    }

    @Test
    void rejectsInvalidValuesWithTheFieldPath() throws Exception {
        offer(policy(1));
        assertRejected(offer(policy(2).replace("\"maxListeners\":50", "\"maxListeners\":-1")),
                "invalid: audio.maxListeners must be between 0 and 100000, got -1", 1);
        assertRejected(offer(policy(3).replace("\"capped\"", "\"everyone\"")),
                "invalid: audio.admission 'everyone' is not one of", 1);
        assertRejected(offer(policy(4).replace("\"video\",\"image\"", "\"video\",\"warez\"")),
                "invalid: sharing.categories 'warez' is not one of", 1);
        assertRejected(offer(policy(5).replace("\"intervalSeconds\":15", "\"intervalSeconds\":1.5")),
                "invalid: reporting.intervalSeconds must be an integer, got 1.5", 1);
        assertRejected(offer(policy(6).replace("\"maxStations\":64", "\"maxStaions\":64")),
                "invalid: ap.maxStaions is not a field of schema 1", 1);
        assertRejected(offer(policy(7).replace("\"08:00-22:00\"", "\"8am-10pm\"")),
                "invalid: ap.hours '8am-10pm' is not HH:MM-HH:MM", 1);
        assertRejected(offer(policy(8).replace("\"correct horse\"", "\"short\"")),
                "invalid: ap.passphrase must be 8 to 63 printable ASCII characters", 1);
        assertRejected(offer(policy(9).replace("\"https://cdn.example.com/promo.mp4\"", "\"file:///etc/passwd\"")),
                "invalid: cache.prefetch[0].url must be an absolute http or https URL", 1);
        assertRejected(offer(policy(10).replace("\"generation\":10,", "")), "invalid: generation is required", 1);
        assertRejected(offer(policy(11).replace("\"schema\":1", "\"schema\":2")),
                "invalid: schema must be between 1 and 1, got 2", 1);
        assertRejected(offer(policy(12).replace("\"ssid\":\"Mall Free WiFi\"", "\"ssid\":\"" + "x".repeat(33) + "\"")),
                "invalid: ap.ssid must be 1 to 32 bytes of UTF-8, is 33", 1);
        assertRejected(offer(policy(13).replace("\"enabled\":true", "\"enabled\":\"yes\"")),
                "invalid: sharing.enabled must be true or false", 1);
        assertFalse(told.get(told.size() - 1).reason().contains("correct horse"));
        assertEquals(12L, engine.metrics().get("failures.invalid"));
        // the generations those invalid documents used are spent: a replay of 13 is refused
        assertRejected(offer(policy(13)), "replayed: ", 1);
        assertEquals("applied", offer(policy(14)).lastOutcome());
    }

    @Test
    void rejectsAPolicyForOtherGateways() throws Exception {
        PolicyState s = offer(policy(1).replace("[\"all\"]", "[\"gw-7\",\"gw-8\"]"));
        assertRejected(s, "not-addressed: generation 1 targets [gw-7, gw-8], this gateway is 'gw-1'", 0);
        assertEquals("applied", offer(policy(2).replace("[\"all\"]", "[\"gw-7\",\"gw-1\"]")).lastOutcome());
    }

    @Test
    void aFailedUpdateRevertsEveryConfigurationAlreadyChanged() throws Exception {
        offer(policy(1));
        Map<String, Map<String, Object>> before = snapshot();
        configs.failWrite.add("edgeshare.audio.channel~main");
        PolicyState s = offer(policy(2));
        assertEquals("reverted", s.lastOutcome());
        assertTrue(s.reason().startsWith("apply-failed: updating edgeshare.audio.channel~main failed: injected failure"),
                s.reason());
        assertEquals(1, s.runningGeneration());
        assertEquals(2, s.lastOffered());
        assertEquals(before, snapshot(), "every configuration as before");
        assertTrue(configs.writes.contains("edgeshare.cache"));
        assertEquals(1L, engine.metrics().get("reverted"));
    }

    @Test
    void aFailedHealthCheckRevertsAndDeletesWhatThePolicyCreated() throws Exception {
        Map<String, Map<String, Object>> before = snapshot();
        healthProblem = "io.edgeshare.cache (edgeshare.cache) failed to activate: boom";
        PolicyState s = offer(policy(1));
        assertEquals("reverted", s.lastOutcome());
        assertEquals("health-failed: io.edgeshare.cache (edgeshare.cache) failed to activate: boom", s.reason());
        assertEquals(0, s.runningGeneration());
        assertEquals(before, snapshot());
        assertFalse(configs.configs.containsKey("edgeshare.cache"));
        assertFalse(configs.configs.containsKey("edgeshare.ap"));
        assertNull(store.good, "a reverted policy is not the last known good one");
        healthProblem = "";
        assertEquals("applied", offer(policy(2)).lastOutcome());
    }

    @Test
    void theLastKnownGoodPolicyReturnsAtBoot() throws Exception {
        offer(policy(3));
        offer(policy(4).replace("\"capped\"", "\"nobody\""));
        // reboot onto configurations that lost the policy's keys (FileInstall reloaded the operator's files)
        configs.configs.clear();
        configs.configs.put("edgeshare.uplink", new LinkedHashMap<>(Map.of("report.interval.s", "30")));
        told.clear();
        engine = newEngine();
        assertEquals(3, engine.state().runningGeneration(), "recorded before the re-apply");
        PolicyState s = engine.restore();
        assertEquals(3, s.runningGeneration());
        assertEquals(4, s.lastOffered(), "the rejection of 4 is still what was last decided");
        assertEquals("rejected", s.lastOutcome());
        assertEquals(15, configs.configs.get("edgeshare.uplink").get("report.interval.s"));
        assertEquals(1_000_000_003L, configs.configs.get("edgeshare.cache").get("quota.bytes"));
        assertEquals(1, told.size());
        // replay protection survives the reboot
        assertRejected(offer(policy(4)), "replayed: ", 3);
        assertEquals("applied", offer(policy(5)).lastOutcome());
    }

    @Test
    void aStoredDocumentThatNoLongerVerifiesIsNotApplied() throws Exception {
        offer(policy(3));
        // one bit of the stored signature flipped (disk corruption or tampering)
        String text = new String(store.good, StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"signature\":\"([^\"]*)\"").matcher(text);
        assertTrue(m.find());
        byte[] sig = Base64.getDecoder().decode(m.group(1));
        sig[10] ^= 1;
        store.good = text.replace(m.group(1), Base64.getEncoder().encodeToString(sig)).getBytes(StandardCharsets.UTF_8);
        configs.configs.remove("edgeshare.cache");
        engine = newEngine();
        PolicyState s = engine.restore();
        assertEquals(0, s.runningGeneration());
        assertTrue(s.reason().startsWith("stored: bad-signature"), s.reason());
        assertFalse(configs.configs.containsKey("edgeshare.cache"));
    }

    @Test
    void restoreWaitsForThePlatformKey() throws Exception {
        offer(policy(2));
        configs.configs.remove("edgeshare.cache");
        engine = new PolicyEngine(configs, HealthCheck.NONE, store, clock, told::add);
        engine.restore();
        assertFalse(configs.configs.containsKey("edgeshare.cache"));
        engine.configure(TestDocs.trust(platform), "gw-1", Duration.ofSeconds(1));
        assertEquals(2, engine.restore().runningGeneration());
        assertTrue(configs.configs.containsKey("edgeshare.cache"));
    }

    @Test
    void aNewerPolicyOfferedBeforeTheRestoreRanIsNotOverwritten() throws Exception {
        offer(policy(2));
        engine = newEngine();
        assertEquals("applied", offer(policy(3)).lastOutcome());
        PolicyState s = engine.restore();
        assertEquals(3, s.runningGeneration());
        assertEquals(1_000_000_003L, configs.configs.get("edgeshare.cache").get("quota.bytes"));
    }

    @Test
    void policyKeysArePutBackWhenAnotherWriterReplacesAConfiguration() throws Exception {
        offer(policy(1));
        configs.configs.put("edgeshare.uplink", new LinkedHashMap<>(Map.of("broker.uri", "tcp://q:1883",
                "report.interval.s", "10")));
        assertEquals(1, engine.reassert());
        assertEquals(15, configs.configs.get("edgeshare.uplink").get("report.interval.s"));
        assertEquals("tcp://q:1883", configs.configs.get("edgeshare.uplink").get("broker.uri"));
        assertEquals(0, engine.reassert(), "nothing to do once they match");
    }

    @Test
    void sharingOffSharesNoCategoryAndOnAgainSharesAll() throws Exception {
        offer("{\"schema\":1,\"generation\":1," + VALID + "\"targets\":[\"all\"],\"sharing\":{\"enabled\":false}}");
        assertArrayEquals(new String[] { "none" }, (String[]) configs.configs.get("edgeshare.cache")
                .get("allowed.categories"));
        assertEquals(false, configs.configs.get("edgeshare.cache").get("sharing.enabled"));
        offer("{\"schema\":1,\"generation\":2," + VALID + "\"targets\":[\"all\"],\"sharing\":{\"enabled\":true}}");
        assertArrayEquals(new String[0], (String[]) configs.configs.get("edgeshare.cache").get("allowed.categories"));
    }

    @Test
    void aPartialPolicyTouchesOnlyWhatItNames() throws Exception {
        PolicyState s = offer("{\"schema\":1,\"generation\":1," + VALID + "\"targets\":[\"all\"],\"reporting\":{\"intervalSeconds\":5}}");
        assertEquals("applied", s.lastOutcome());
        assertEquals(List.of("edgeshare.uplink"), configs.writes);
        // no uplink configuration: none is created (it would start an unconfigured uplink)
        configs.configs.remove("edgeshare.uplink");
        configs.writes.clear();
        offer("{\"schema\":1,\"generation\":2," + VALID + "\"targets\":[\"all\"],\"reporting\":{\"intervalSeconds\":6}}");
        assertEquals(List.of(), configs.writes);
    }

    private void assertRejected(PolicyState s, String reasonPrefix, long running) {
        assertEquals("rejected", s.lastOutcome(), s.reason());
        assertTrue(s.reason().startsWith(reasonPrefix), () -> "reason '" + s.reason() + "' should start with '"
                + reasonPrefix + "'");
        assertEquals(running, s.runningGeneration(), "the running policy stays");
    }

    private Map<String, Map<String, Object>> snapshot() {
        Map<String, Map<String, Object>> m = new java.util.TreeMap<>();
        configs.configs.forEach((k, v) -> {
            Map<String, Object> copy = new java.util.TreeMap<>();
            v.forEach((kk, vv) -> copy.put(kk, vv instanceof String[] a ? List.of(a) : vv));
            m.put(k, copy);
        });
        return m;
    }
}
