package io.edgeshare.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec();

    private ProtocolException refused(String json, Class<? extends Record> type) {
        return assertThrows(ProtocolException.class, () -> codec.decode(json.getBytes(StandardCharsets.UTF_8), type));
    }

    @Test
    void decodesABirth() throws ProtocolException {
        Presence p = codec.decode(("{\"state\":\"online\",\"deviceId\":\"gw-a\",\"seq\":3,"
                + "\"ts\":\"2026-11-22T00:11:32.805Z\",\"location\":{\"lat\":1.5,\"lon\":2},\"extra\":1}")
                .getBytes(StandardCharsets.UTF_8), Presence.class);
        assertTrue(p.online());
        assertEquals(3, p.seq());
        assertEquals(new Location(1.5, 2), p.location());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "[]", "42", "\"x\"", "{", "{'state':'online'}", "{\"state\":\"online\"} x",
            "{state:online}", "null" })
    void refusesWhatIsNotOneJsonObject(String json) {
        refused(json, Presence.class);
    }

    @Test
    void refusesABadDeviceIdWithAOneLineReason() {
        ProtocolException e = refused("{\"state\":\"online\",\"deviceId\":\"gw/+\",\"seq\":1,\"ts\":\"2026-11-22T00:00:00Z\"}",
                Presence.class);
        assertEquals("presence message: deviceId must match [A-Za-z0-9._-]{1,64}, got 'gw/+'", e.getMessage());
    }

    @Test
    void refusesAMissingRequiredField() {
        ProtocolException e = refused("{\"deviceId\":\"gw-a\",\"msgId\":1,\"seq\":1,\"ts\":\"2026-11-22T00:00:00Z\"}",
                StatusReport.class);
        assertEquals("status report message: missing sources", e.getMessage());
    }

    @Test
    void aWrongTypeNamesThePathNotGson() {
        ProtocolException e = refused("{\"state\":\"online\",\"deviceId\":\"gw-a\",\"seq\":\"many\","
                + "\"ts\":\"2026-11-22T00:00:00Z\"}", Presence.class);
        assertEquals("presence message: a field has the wrong type at $.seq", e.getMessage());
        assertFalse(e.getMessage().toLowerCase().contains("gson"));
    }

    @Test
    void refusesAScriptPortalUrl() {
        ProtocolException e = refused("{\"state\":\"online\",\"deviceId\":\"gw-a\",\"seq\":1,"
                + "\"ts\":\"2026-11-22T00:00:00Z\",\"portalUrl\":\"javascript:alert(1)//\"}", Presence.class);
        assertTrue(e.getMessage().contains("portalUrl"), e.getMessage());
    }

    @Test
    void refusesABadTime() {
        ProtocolException e = refused("{\"state\":\"offline\",\"deviceId\":\"gw-a\",\"seq\":1,\"ts\":\"yesterday\"}",
                Presence.class);
        assertTrue(e.getMessage().startsWith("presence message: a time must be ISO-8601"), e.getMessage());
    }

    @Test
    void refusesADeltaWithoutBaseRev() {
        ProtocolException e = refused("{\"deviceId\":\"gw-a\",\"msgId\":1,\"full\":false,\"rev\":2,"
                + "\"upserted\":[],\"removed\":[]}", CatalogMessage.class);
        assertEquals("catalog message: missing baseRev", e.getMessage());
    }

    @Test
    void refusesANullItem() {
        refused("{\"deviceId\":\"gw-a\",\"msgId\":1,\"full\":true,\"rev\":2,\"items\":[null]}", CatalogMessage.class);
    }

    @Test
    void refusesAControlCharacterInAText() {
        refused("{\"deviceId\":\"gw-a\",\"msgId\":1,\"full\":true,\"rev\":2,\"items\":[{\"id\":\"a\","
                + "\"title\":\"x\\nFORGED\"}]}", CatalogMessage.class);
    }

    @Test
    void refusesASharerWithoutAnHttpBaseUrl() {
        refused("{\"sharers\":[{\"deviceId\":\"gw-b\",\"baseUrl\":\"file:///etc/passwd\"}]}", NearbyList.class);
    }

    @Test
    void refusesInvalidUtf8() {
        assertThrows(ProtocolException.class,
                () -> codec.decode(new byte[] { '{', '"', (byte) 0xC3, '"', ':', '1', '}' }, Presence.class));
    }

    @Test
    void survivesDeepNesting() {
        String deep = "{\"result\":" + "[".repeat(100_000) + "]".repeat(100_000) + ",\"ok\":true}";
        refused(deep, CommandAnswer.class);
    }

    @Test
    void encodesWithoutNullFields() throws ProtocolException {
        Presence death = Presence.death("gw-a", 4, Instant.parse("2026-11-22T00:00:00Z"));
        String json = new String(codec.encode(death), StandardCharsets.UTF_8);
        assertEquals(death, codec.decode(json.getBytes(StandardCharsets.UTF_8), Presence.class));
        assertFalse(json.contains("null"), json);
    }

    @Test
    void commandAnswerKeepsIntegers() throws ProtocolException {
        CommandAnswer a = CommandAnswer.success(Map.of("seq", 12L, "list", List.of("a")));
        CommandAnswer back = codec.decode(codec.encode(a), CommandAnswer.class);
        assertEquals(12L, back.result().get("seq"));
        assertNull(back.error());
    }
}
