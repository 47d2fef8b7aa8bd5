package io.edgeshare.platform.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class PolicyAuthorityTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T01:00:00Z"), ZoneOffset.UTC);
    private final List<String[]> sent = new ArrayList<>();
    private boolean connected = true;
    private PlatformKey key;
    private PolicyAuthority authority;

    private final Publisher publisher = new Publisher() {
        @Override
        public boolean connected() {
            return connected;
        }

        @Override
        public Map<String, String> publishRetained(List<String> topics, byte[] payload) {
            Map<String, String> acks = new java.util.LinkedHashMap<>();
            for (String topic : topics) {
                if (topic.contains("/gw-broken/")) {
                    acks.put(topic, "broker said no");
                } else {
                    sent.add(new String[] { topic, new String(payload, StandardCharsets.UTF_8) });
                    acks.put(topic, "");
                }
            }
            return acks;
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        key = PlatformKey.loadOrCreate(dir);
        authority = new PolicyAuthority(key, new PolicyHistory(dir), publisher, clock, "edgeshare/v1");
    }

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    private static final String REQUEST = """
            {"policy":{"sharing":{"enabled":true,"categories":["video"]},"reporting":{"intervalSeconds":20}},
             "targets":["gw-1","gw-2"],"comment":"evening"}""";

    @Test
    void signsAndPublishesRetainedToEachTarget() throws Exception {
        PolicyAuthority.Result r = authority.publish(json(REQUEST));
        assertEquals(1, r.published().generation());
        assertEquals(Map.of("gw-1", "published", "gw-2", "published"), r.deliveries());
        assertEquals(2, sent.size());
        assertEquals("edgeshare/v1/gw/gw-1/policy/desired", sent.get(0)[0]);
        JsonObject envelope = json(sent.get(0)[1]);
        assertEquals("edgeshare-policy/1", envelope.get("format").getAsString());
        assertEquals(key.keyId(), envelope.get("keyId").getAsString());
        byte[] payload = Base64.getDecoder().decode(envelope.get("payload").getAsString());
        byte[] signature = Base64.getDecoder().decode(envelope.get("signature").getAsString());
        // verifies with nothing but the published public key, as a gateway does
        PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                Base64.getDecoder().decode(key.publicKeyBase64())));
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(pub);
        v.update(payload);
        assertTrue(v.verify(signature));
        JsonObject p = json(new String(payload, StandardCharsets.UTF_8));
        assertEquals(1, p.get("schema").getAsInt());
        assertEquals(1, p.get("generation").getAsLong());
        assertEquals("2026-11-22T01:00:00Z", p.get("issuedAt").getAsString());
        assertEquals("[\"gw-1\",\"gw-2\"]", p.get("targets").toString());
        assertEquals("evening", p.get("comment").getAsString());
        assertEquals(20, p.getAsJsonObject("reporting").get("intervalSeconds").getAsInt());
        assertEquals(2, authority.publish(json(REQUEST)).published().generation());
    }

    @Test
    void generationsKeepIncreasingAcrossARestartAndTheKeyStays() throws Exception {
        authority.publish(json(REQUEST));
        authority.publish(json(REQUEST));
        PlatformKey again = PlatformKey.loadOrCreate(dir);
        assertFalse(again.generated());
        assertEquals(key.keyId(), again.keyId());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(PlatformKey.PRIVATE_FILE))));
        PolicyAuthority restarted = new PolicyAuthority(again, new PolicyHistory(dir), publisher, clock, "edgeshare/v1");
        assertEquals(2, restarted.history().list().size());
        assertEquals(3, restarted.publish(json(REQUEST)).published().generation());
    }

    @Test
    void aTornLastLineOfTheHistoryIsSkipped() throws Exception {
        authority.publish(json(REQUEST));
        Files.writeString(dir.resolve(PolicyHistory.FILE), "{\"type\":\"publ", java.nio.file.StandardOpenOption.APPEND);
        PolicyHistory h = new PolicyHistory(dir);
        assertEquals(2, h.nextGeneration());
    }

    @Test
    void outcomesComeFromTheGatewaysReports() throws Exception {
        authority.publish(json(REQUEST));
        Published p = authority.history().get(1).orElseThrow();
        assertEquals("pending", authority.history().outcomes(p).get("gw-1").outcome());
        assertTrue(authority.reported("gw-1", ("{\"runningGeneration\":1,\"lastOffered\":1,\"lastOutcome\":\"applied\","
                + "\"reason\":\"\",\"at\":\"2026-11-22T01:00:01Z\"}").getBytes(StandardCharsets.UTF_8)));
        assertTrue(authority.reported("gw-2", ("{\"runningGeneration\":0,\"lastOffered\":1,\"lastOutcome\":\"rejected\","
                + "\"reason\":\"invalid: ap.ssid must be 1 to 32 bytes\",\"at\":\"2026-11-22T01:00:01Z\"}")
                .getBytes(StandardCharsets.UTF_8)));
        Map<String, Outcome> o = authority.history().outcomes(p);
        assertEquals("applied", o.get("gw-1").outcome());
        assertEquals("rejected", o.get("gw-2").outcome());
        assertEquals("invalid: ap.ssid must be 1 to 32 bytes", o.get("gw-2").reason());
        assertFalse(authority.reported("gw-3", "not json".getBytes(StandardCharsets.UTF_8)));
        // a later report about generation 2 still counts 1 as applied where 1 runs
        authority.publish(json(REQUEST));
        authority.reported("gw-1", ("{\"runningGeneration\":1,\"lastOffered\":2,\"lastOutcome\":\"reverted\","
                + "\"reason\":\"health-failed: x\",\"at\":\"2026-11-22T01:00:02Z\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals("applied", authority.history().outcomes(p).get("gw-1").outcome());
        assertEquals("reverted", authority.history().outcomes(authority.history().get(2).orElseThrow()).get("gw-1")
                .outcome());
    }

    @Test
    void aPolicyForAllReachesKnownGatewaysAndThoseThatJoinLater() throws Exception {
        authority.online("gw-1");
        authority.history().seen("gw-2");
        PolicyAuthority.Result r = authority.publish(json("{\"policy\":{\"audio\":{\"maxListeners\":5}},\"targets\":\"all\"}"));
        assertEquals(List.of("all"), r.published().targets());
        assertEquals(Map.of("gw-1", "published", "gw-2", "published"), r.deliveries());
        sent.clear();
        authority.online("gw-3");
        assertEquals(1, sent.size());
        assertEquals("edgeshare/v1/gw/gw-3/policy/desired", sent.get(0)[0]);
        authority.online("gw-3");
        authority.online("gw-1");
        assertEquals(1, sent.size(), "no gateway gets the same generation twice");
        assertEquals(3, authority.history().outcomes(r.published()).size());
    }

    @Test
    void rollbackRepublishesOldContentAsANewGeneration() throws Exception {
        authority.publish(json(REQUEST));
        authority.publish(json(REQUEST.replace("\"video\"", "\"game\"")));
        sent.clear();
        PolicyAuthority.Result r = authority.rollback(1, null);
        assertEquals(3, r.published().generation());
        assertEquals(1, r.published().rollbackOf());
        assertEquals(List.of("gw-1", "gw-2"), r.published().targets());
        JsonObject p = json(r.published().payload());
        assertEquals(3, p.get("generation").getAsLong());
        assertEquals("[\"video\"]", p.getAsJsonObject("sharing").get("categories").toString());
        assertEquals("rollback to generation 1", p.get("comment").getAsString());
        assertEquals(2, sent.size());
        assertEquals(404, assertThrows(RequestException.class, () -> authority.rollback(99, null)).status());
    }

    @Test
    void refusesBadRequestsWithoutSpendingAGeneration() throws Exception {
        assertEquals(400, status("{\"policy\":{\"sharing\":{}}}"));
        assertEquals(400, status("{\"policy\":{\"sharing\":{}},\"targets\":[]}"));
        assertEquals(400, status("{\"policy\":{\"sharing\":{}},\"targets\":[\"bad id!\"]}"));
        assertEquals(400, status("{\"policy\":{\"generation\":9},\"targets\":\"all\"}"));
        assertEquals(400, status("{\"policy\":{\"sharing\":true},\"targets\":\"all\"}"));
        assertEquals(400, status("{\"policy\":[],\"targets\":\"all\"}"));
        assertEquals(400, status("{\"policy\":{},\"targets\":\"all\",\"when\":\"now\"}"));
        connected = false;
        assertEquals(503, status(REQUEST));
        connected = true;
        assertEquals(1, authority.publish(json(REQUEST)).published().generation());
    }

    @Test
    void aFailedDeliveryIsReportedPerGateway() throws Exception {
        PolicyAuthority.Result r = authority.publish(json(REQUEST.replace("\"gw-2\"", "\"gw-broken\"")));
        assertEquals("published", r.deliveries().get("gw-1"));
        assertEquals("failed: broker said no", r.deliveries().get("gw-broken"));
    }

    private int status(String request) {
        return assertThrows(RequestException.class, () -> authority.publish(json(request))).status();
    }
}
