package io.edgeshare.platform.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.edgeshare.api.fleet.GatewayBirth;
import io.edgeshare.api.fleet.Rollout;
import io.edgeshare.api.fleet.RolloutOutcome;
import io.edgeshare.platform.store.internal.JdbcFleetStore;
import io.edgeshare.platform.store.internal.StoreConfig;

/** The rollout engine with a fake broker ({@link Publisher}) and a real store (H2 in a temp dir). */
class RolloutEngineTest {
    private static final String PREFIX = "edgeshare/v1/gw/";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    /** Per publication: the devices it went to, in order. */
    private final List<List<String>> sends = new ArrayList<>();
    private final Map<String, String> documents = new LinkedHashMap<>();
    private final Set<String> brokerRefuses = new TreeSet<>();
    private JdbcFleetStore store;
    private PolicyAuthority authority;
    private RolloutEngine engine;

    private final Publisher publisher = new Publisher() {
        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public Map<String, String> publishRetained(List<String> topics, byte[] payload) {
            Map<String, String> acks = new LinkedHashMap<>();
            List<String> devices = new ArrayList<>();
            for (String t : topics) {
                String device = t.substring(PREFIX.length(), t.indexOf("/policy/desired"));
                if (brokerRefuses.contains(device)) {
                    acks.put(t, "no acknowledgement");
                } else {
                    devices.add(device);
                    documents.put(device, new String(payload, StandardCharsets.UTF_8));
                    acks.put(t, "");
                }
            }
            sends.add(devices);
            return acks;
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        open();
    }

    private void open() throws Exception {
        store = new JdbcFleetStore(config("jdbc:h2:file:" + dir.resolve("fleet").toAbsolutePath() + ";WRITE_DELAY=0"),
                null);
        authority = new PolicyAuthority(PlatformKey.loadOrCreate(dir), new PolicyHistory(dir), publisher, clock,
                "edgeshare/v1");
        engine = new RolloutEngine(authority, store, new RolloutTargets(store),
                clock, () -> { });
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static StoreConfig config(String url) {
        return (StoreConfig) Proxy.newProxyInstance(StoreConfig.class.getClassLoader(), new Class<?>[] { StoreConfig.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "url" -> url;
                    case "username", "password" -> "";
                    case "pool_size" -> 4;
                    default -> method.getDefaultValue(); // what the store has by default (e.g. the report history)
                });
    }

    private void fleet(String prefix, int n, String profile, String group) {
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            store.birth(new GatewayBirth(id, 1, clock.instant(), "sim", profile, "1.0", null, "", List.of()));
            if (group != null) {
                store.assignGroup(id, group);
            }
        }
    }

    private Rollout start(String body) throws RequestException {
        JsonObject b = JsonParser.parseString(body).getAsJsonObject();
        RolloutRequest r = RolloutRequest.parse(b, Set.of("policy", "comment"), true);
        return engine.start(PolicyAuthority.sections(b), r, "", -1);
    }

    private void report(String device, long generation, String outcome) {
        String json = "{\"runningGeneration\":" + (outcome.equals("applied") ? generation : 0) + ",\"lastOffered\":"
                + generation + ",\"lastOutcome\":\"" + outcome + "\",\"reason\":\""
                + (outcome.equals("applied") ? "" : "invalid: ap.ssid too long") + "\",\"at\":\"" + clock.instant() + "\"}";
        assertTrue(authority.reported(device, json.getBytes(StandardCharsets.UTF_8)));
    }

    private Rollout rollout(Rollout r) {
        return store.rollout(r.id()).orElseThrow();
    }

    private RolloutEngine.Counts counts(Rollout r) {
        return RolloutEngine.Counts.of(store.outcomeCounts(r.id()));
    }

    private List<String> sentTo(Rollout r) {
        List<String> out = new ArrayList<>();
        store.outcomes(r.id(), null, null, 1000).stream().filter(o -> o.state() != RolloutOutcome.State.PENDING)
                .forEach(o -> out.add(o.deviceId()));
        return out;
    }

    private void applyAll(Rollout r) {
        for (RolloutOutcome o : store.outcomes(r.id(), RolloutOutcome.State.SENT, null, 1000)) {
            report(o.deviceId(), r.generation(), "applied");
        }
    }

    private static final String STAGED = """
            {"policy":{"reporting":{"intervalSeconds":20}},"target":{"kind":"profile","value":"mall"},
             "canaryPercent":10,"waves":[50,100],"waveIntervalS":60}""";

    @Test
    void aCanaryThenWavesThenCompleted() throws Exception {
        fleet("gw", 20, "mall", null);
        fleet("other", 3, "home", null);
        Rollout r = start(STAGED);
        assertEquals(Rollout.State.PENDING, r.state());
        assertTrue(sends.isEmpty(), "nothing is published by the request itself");

        engine.step();
        assertEquals(Rollout.State.CANARY, rollout(r).state());
        assertEquals(2, counts(r).sent(), "10 % of 20");
        engine.step();
        assertEquals(2, counts(r).sent(), "the next wave waits for the soak time");

        applyAll(r);
        clock.advance(Duration.ofSeconds(60));
        engine.step();
        assertEquals(Rollout.State.WAVES, rollout(r).state());
        assertEquals(10, counts(r).sent() + counts(r).applied());

        applyAll(r);
        clock.advance(Duration.ofSeconds(60));
        engine.step();
        assertEquals(20, counts(r).total() - counts(r).pending());
        assertEquals(2, store.progress(r.id()).orElseThrow().stage());
        assertEquals(Rollout.State.WAVES, rollout(r).state(), "not complete while gateways have not decided");

        applyAll(r);
        engine.step();
        assertEquals(Rollout.State.COMPLETED, rollout(r).state());
        assertEquals(20, counts(r).applied());
        assertTrue(sends.stream().flatMap(List::stream).allMatch(d -> d.startsWith("gw-")), "only the profile");
    }

    /** A second platform node on the same store: its own history, the same key pair (README, two nodes). */
    private RolloutEngine otherNode() throws Exception {
        PolicyAuthority other = new PolicyAuthority(PlatformKey.loadOrCreate(dir), new PolicyHistory(
                dir.resolve("node-b")), publisher, clock, "edgeshare/v1");
        return new RolloutEngine(other, store, new RolloutTargets(store), clock, () -> { });
    }

    @Test
    void anotherNodeSendsTheNextStagesOfARolloutThisNodeStarted() throws Exception {
        fleet("gw", 20, "mall", null);
        Rollout r = start(STAGED);
        engine.step();
        assertEquals(2, counts(r).sent(), "the canary, sent by the node that started it");
        String signed = documents.values().iterator().next();

        applyAll(r); // then that node dies; the other one leads
        clock.advance(Duration.ofSeconds(60));
        otherNode().step();
        assertEquals(Rollout.State.WAVES, rollout(r).state(), store.progress(r.id()).orElseThrow().note());
        assertEquals(10, counts(r).sent() + counts(r).applied());
        assertEquals(Set.of(signed), Set.copyOf(documents.values()), "every gateway got the document as signed");
    }

    @Test
    void generationsNeverRepeatAcrossNodes() throws Exception {
        fleet("gw", 4, "mall", null);
        long first = start(STAGED).generation();
        JsonObject b = JsonParser.parseString(STAGED).getAsJsonObject();
        Rollout second = otherNode().start(PolicyAuthority.sections(b), RolloutRequest.parse(b, Set.of("policy",
                "comment"), true), "", -1);
        assertEquals(first + 1, second.generation());
    }

    @Test
    void theSignedDocumentNamesTheTargetedGatewaysOnly() throws Exception {
        fleet("gw", 3, "mall", null);
        fleet("other", 2, "home", null);
        Rollout r = start("""
                {"policy":{"reporting":{"intervalSeconds":20}},"target":{"kind":"profile","value":"mall"}}""");
        engine.step();
        JsonObject payload = payload(documents.get("gw-0"));
        assertEquals("[\"gw-0\",\"gw-1\",\"gw-2\"]", payload.get("targets").toString());
        assertEquals(r.generation(), payload.get("generation").getAsLong());
    }

    @Test
    void haltsByItselfWhenRejectionsPassTheThreshold() throws Exception {
        fleet("gw", 10, "mall", null);
        Rollout r = start("""
                {"policy":{"ap":{"ssid":"x"}},"target":{"kind":"all"},"canaryPercent":20,"waves":[100],
                 "waveIntervalS":60,"haltWhen":{"rejectedPercent":25,"minOutcomes":2}}""");
        engine.step();
        List<String> canary = sentTo(r);
        assertEquals(2, canary.size());
        report(canary.get(0), r.generation(), "rejected");
        clock.advance(Duration.ofSeconds(30));
        engine.step();
        assertEquals(Rollout.State.CANARY, rollout(r).state(), "one outcome is below minOutcomes");
        report(canary.get(1), r.generation(), "applied");
        engine.step();
        assertEquals(Rollout.State.HALTED, rollout(r).state(), "1 of 2 rejected is over 25 %");
        String note = store.progress(r.id()).orElseThrow().note();
        assertTrue(note.contains("1 of 2 gateways rejected"), note);
        clock.advance(Duration.ofHours(1));
        engine.step();
        assertEquals(2, sentTo(r).size(), "a halted rollout sends nothing more");
    }

    @Test
    void revertsHaltItToo() throws Exception {
        fleet("gw", 4, "mall", null);
        Rollout r = start("""
                {"policy":{"ap":{"ssid":"x"}},"target":{"kind":"all"},"canaryPercent":25,"waveIntervalS":0}""");
        engine.step();
        report(sentTo(r).get(0), r.generation(), "reverted");
        engine.step();
        assertEquals(Rollout.State.HALTED, rollout(r).state());
        assertTrue(store.progress(r.id()).orElseThrow().note().contains("reverted"));
    }

    @Test
    void aResumedRolloutGoesOnAndCountsOnlyNewOutcomes() throws Exception {
        fleet("gw", 10, "mall", null);
        Rollout r = start("""
                {"policy":{"ap":{"ssid":"x"}},"target":{"kind":"all"},"canaryPercent":10,"waveIntervalS":0,
                 "haltWhen":{"rejectedPercent":50}}""");
        engine.step();
        report(sentTo(r).get(0), r.generation(), "rejected");
        engine.step();
        assertEquals(Rollout.State.HALTED, rollout(r).state());
        assertThrows(RequestException.class, () -> engine.abort(999));

        assertEquals(Rollout.State.CANARY, engine.resume(r.id()).state());
        engine.step();
        assertEquals(10, sentTo(r).size(), "the next wave went out; the old rejection no longer halts it");
        applyAll(r);
        engine.step();
        assertEquals(Rollout.State.COMPLETED, rollout(r).state());
        RequestException again = assertThrows(RequestException.class, () -> engine.resume(r.id()));
        assertEquals(409, again.status());
    }

    @Test
    void anAbortedRolloutSendsNoFurtherStage() throws Exception {
        fleet("gw", 10, "mall", null);
        Rollout r = start("""
                {"policy":{"reporting":{"intervalSeconds":20}},"target":{"kind":"all"},"canaryPercent":10,
                 "waveIntervalS":0}""");
        engine.step();
        assertEquals(Rollout.State.ABORTED, engine.abort(r.id()).state());
        engine.step();
        assertEquals(1, sentTo(r).size());
        assertEquals(409, assertThrows(RequestException.class, () -> engine.abort(r.id())).status());
    }

    @Test
    void aRollbackWithNothingBeforeTakesTheReachedGatewaysBackToNoPolicy() throws Exception {
        fleet("gw", 10, "mall", null);
        Rollout r = start("""
                {"policy":{"reporting":{"intervalSeconds":20}},"target":{"kind":"all"},"canaryPercent":20}""");
        engine.step();
        List<String> reached = sentTo(r);
        Rollout back = engine.rollback(r.id(), null, io.edgeshare.api.fleet.RolloutPlan.immediate()).orElseThrow();
        assertEquals(Rollout.State.ROLLED_BACK, rollout(r).state());
        assertEquals(0, store.progress(back.id()).orElseThrow().restores());
        engine.step();
        assertEquals(reached, sentTo(back), "only the gateways the rollout reached");
        JsonObject clear = payload(documents.get(reached.get(0)));
        assertTrue(clear.get("clear").getAsBoolean());
        assertFalse(clear.has("reporting"));
        assertEquals(back.generation(), clear.get("generation").getAsLong());
        assertTrue(back.generation() > r.generation(), "a new generation, so gateways take it");
        assertEquals(409, assertThrows(RequestException.class,
                () -> engine.rollback(r.id(), null, io.edgeshare.api.fleet.RolloutPlan.immediate())).status());
    }

    @Test
    void aRollbackRestoresTheGenerationTheTargetHadBefore() throws Exception {
        fleet("gw", 3, "mall", "paris");
        Rollout first = start("""
                {"policy":{"reporting":{"intervalSeconds":20}},"target":{"kind":"group","value":"paris"}}""");
        engine.step();
        applyAll(first);
        engine.step();
        assertEquals(Rollout.State.COMPLETED, rollout(first).state());
        Rollout second = start("""
                {"policy":{"reporting":{"intervalSeconds":99}},"target":{"kind":"group","value":"paris"}}""");
        engine.step();
        Rollout back = engine.rollback(second.id(), null, io.edgeshare.api.fleet.RolloutPlan.immediate())
                .orElseThrow();
        assertEquals(first.generation(), store.progress(back.id()).orElseThrow().restores());
        engine.step();
        JsonObject doc = payload(documents.get("gw-0"));
        assertEquals(20, doc.getAsJsonObject("reporting").get("intervalSeconds").getAsInt());
        assertFalse(doc.has("clear"));
    }

    @Test
    void aRestartCarriesOnFromTheStore() throws Exception {
        fleet("gw", 10, "mall", null);
        Rollout r = start("""
                {"policy":{"reporting":{"intervalSeconds":20}},"target":{"kind":"all"},"canaryPercent":30,
                 "waves":[100],"waveIntervalS":60}""");
        engine.step();
        List<String> canary = sentTo(r);
        report(canary.get(0), r.generation(), "applied");
        store.close();
        sends.clear();

        open(); // a new platform process on the same store and key directory
        clock.advance(Duration.ofSeconds(30));
        engine.step();
        assertTrue(sends.isEmpty(), "the soak time counts from before the restart: " + sends);
        report(canary.get(1), r.generation(), "applied"); // reports reach the new process's engine
        clock.advance(Duration.ofSeconds(30));
        engine.step();
        assertEquals(1, sends.size());
        assertEquals(7, sends.get(0).size(), "the canary is not sent again");
        assertFalse(sends.get(0).stream().anyMatch(canary::contains));
        assertEquals(2, counts(rollout(r)).applied());
    }

    @Test
    void whatTheBrokerDidNotAcknowledgeIsSentAgain() throws Exception {
        fleet("gw", 2, "mall", null);
        brokerRefuses.add("gw-1");
        Rollout r = start("""
                {"policy":{"reporting":{"intervalSeconds":20}},"target":{"kind":"all"}}""");
        engine.step();
        assertEquals(1, counts(r).pending());
        brokerRefuses.clear();
        engine.step();
        assertEquals(0, counts(r).pending());
    }

    @Test
    void anUnknownDeviceIsRefused() throws Exception {
        fleet("gw", 2, "mall", null);
        RequestException e = assertThrows(RequestException.class, () -> start("""
                {"policy":{"reporting":{"intervalSeconds":20}},"target":{"kind":"device","value":"gw-nope"}}"""));
        assertEquals(422, e.status());
        assertEquals("unknown-device", e.code());
        assertTrue(e.getMessage().contains("gw-nope"));
        assertEquals(List.of(), store.rollouts(Long.MAX_VALUE, 10), "no rollout was made");
    }

    @Test
    void aGroupWithNoGatewayIsRefused() {
        fleet("gw", 2, "mall", "lyon");
        RequestException e = assertThrows(RequestException.class, () -> start("""
                {"policy":{"reporting":{"intervalSeconds":20}},"target":{"kind":"group","value":"paris"}}"""));
        assertEquals(422, e.status());
        assertEquals("no-gateways", e.code());
    }

    @Test
    void aNewcomerGetsAStagedAllPolicyOnlyOnceItsRolloutCompleted() throws Exception {
        fleet("gw", 2, "mall", null);
        Rollout r = start("""
                {"policy":{"reporting":{"intervalSeconds":20}},"target":{"kind":"all"},"canaryPercent":50}""");
        engine.step();
        sends.clear();
        authority.online("gw-new");
        assertTrue(sends.isEmpty(), "a halted or running rollout is not handed to newcomers");
        clock.advance(Duration.ofSeconds(60));
        engine.step();
        applyAll(r);
        engine.step();
        assertEquals(Rollout.State.COMPLETED, rollout(r).state());
        sends.clear();
        authority.online("gw-new2");
        assertEquals(List.of(List.of("gw-new2")), sends);
    }

    @Test
    void badPlansAreRefusedWithTheirField() {
        for (String bad : List.of("\"waves\":[50,40]", "\"waves\":[50]", "\"canaryPercent\":100",
                "\"canaryPercent\":50,\"waves\":[50,100]", "\"waveIntervalS\":1.5", "\"haltWhen\":{\"nope\":1}",
                "\"waveIntervalS\":\"5\"")) {
            RequestException e = assertThrows(RequestException.class, () -> start(
                    "{\"policy\":{},\"target\":{\"kind\":\"all\"}," + bad + "}"), bad);
            assertEquals(400, e.status(), bad);
        }
    }

    private static JsonObject payload(String envelope) {
        String b64 = JsonParser.parseString(envelope).getAsJsonObject().get("payload").getAsString();
        return JsonParser.parseString(new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
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
