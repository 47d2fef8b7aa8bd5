package io.edgeshare.platform.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Documents carry an expiry; each gateway's current generation is re-signed and re-sent well before it. */
class PolicyRenewalTest {
    private static final Instant T0 = Instant.parse("2026-11-22T01:00:00Z");

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(T0);
    private final List<String[]> sent = new ArrayList<>();
    private PolicyAuthority authority;

    private final Publisher publisher = new Publisher() {
        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public Map<String, String> publishRetained(List<String> topics, byte[] payload) {
            Map<String, String> acks = new LinkedHashMap<>();
            for (String topic : topics) {
                sent.add(new String[] { topic, new String(payload, StandardCharsets.UTF_8) });
                acks.put(topic, "");
            }
            return acks;
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        authority = new PolicyAuthority(PlatformKey.loadOrCreate(dir), new PolicyHistory(dir), publisher, clock,
                "edgeshare/v1");
        authority.validity(Duration.ofDays(30));
    }

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    /** The signed payload inside a sent envelope. */
    private static JsonObject payload(String envelope) {
        return json(new String(Base64.getDecoder().decode(json(envelope).get("payload").getAsString()),
                StandardCharsets.UTF_8));
    }

    private void publish(String targets) throws Exception {
        authority.publish(json("{\"policy\":{\"reporting\":{\"intervalSeconds\":20}},\"targets\":" + targets + "}"));
    }

    @Test
    void aDocumentExpiresAfterTheConfiguredValidity() throws Exception {
        publish("[\"gw-1\"]");
        JsonObject p = payload(sent.get(0)[1]);
        assertEquals(T0.toString(), p.get("issuedAt").getAsString());
        assertEquals(T0.plus(Duration.ofDays(30)).toString(), p.get("expiresAt").getAsString());
    }

    @Test
    void nothingIsRenewedWhileMoreThanAThirdOfTheValidityIsLeft() throws Exception {
        publish("[\"gw-1\"]");
        sent.clear();
        clock.now = T0.plus(Duration.ofDays(19));
        assertEquals(List.of(), authority.renewDue());
        assertEquals(0, sent.size());
    }

    @Test
    void theCurrentGenerationIsReSignedWithTheSameGenerationAndContent() throws Exception {
        publish("[\"gw-1\",\"gw-2\"]");
        JsonObject before = payload(sent.get(0)[1]);
        sent.clear();
        clock.now = T0.plus(Duration.ofDays(21));

        assertEquals(List.of(1L), authority.renewDue());

        assertEquals(List.of("edgeshare/v1/gw/gw-1/policy/desired", "edgeshare/v1/gw/gw-2/policy/desired"),
                sent.stream().map(s -> s[0]).toList());
        JsonObject after = payload(sent.get(0)[1]);
        assertEquals(clock.now.toString(), after.get("issuedAt").getAsString());
        assertEquals(clock.now.plus(Duration.ofDays(30)).toString(), after.get("expiresAt").getAsString());
        assertNotEquals(before, after);
        after.remove("issuedAt");
        after.remove("expiresAt");
        before.remove("issuedAt");
        before.remove("expiresAt");
        assertEquals(before, after, "same generation, same content");
    }

    @Test
    void onlyTheGenerationAGatewayHoldsIsRenewed() throws Exception {
        publish("[\"gw-1\",\"gw-2\"]");
        publish("[\"gw-2\"]");
        sent.clear();
        clock.now = T0.plus(Duration.ofDays(25));

        assertEquals(List.of(1L, 2L), authority.renewDue());

        Map<String, Long> renewedFor = new LinkedHashMap<>();
        for (String[] s : sent) {
            renewedFor.put(s[0], payload(s[1]).get("generation").getAsLong());
        }
        assertEquals(Map.of("edgeshare/v1/gw/gw-1/policy/desired", 1L, "edgeshare/v1/gw/gw-2/policy/desired", 2L),
                renewedFor);
    }

    @Test
    void theRenewedDocumentSurvivesARestartOfThePlatform() throws Exception {
        publish("[\"gw-1\"]");
        clock.now = T0.plus(Duration.ofDays(21));
        authority.renewDue();
        PolicyHistory reloaded = new PolicyHistory(dir);
        Published p = reloaded.get(1).orElseThrow();
        assertEquals(clock.now.plus(Duration.ofDays(30)), PolicyAuthority.expiresAt(p));
        assertEquals(T0, p.publishedAt(), "still published when the operator published it");
        assertEquals(2, reloaded.nextGeneration());
    }

    @Test
    void aGatewayFirstSeenLateGetsAFreshDocument() throws Exception {
        authority.online("gw-1");
        publish("\"all\"");
        sent.clear();
        clock.now = T0.plus(Duration.ofDays(25));

        authority.online("gw-new");

        String[] toNewcomer = sent.stream().filter(s -> s[0].contains("/gw-new/")).findFirst().orElseThrow();
        assertEquals(clock.now.plus(Duration.ofDays(30)).toString(),
                payload(toNewcomer[1]).get("expiresAt").getAsString());
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
