package io.edgeshare.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {
    private final Topics topics = new Topics("edgeshare/v1");

    @Test
    void buildsEveryFixedKind() {
        assertEquals("edgeshare/v1/gw/gw-louvre/presence", topics.topic("gw-louvre", TopicKind.PRESENCE));
        assertEquals("edgeshare/v1/gw/gw-louvre/policy/reported",
                topics.topic("gw-louvre", TopicKind.POLICY_REPORTED));
        assertEquals("edgeshare/v1/gw/gw-louvre/cmd/status", topics.command("gw-louvre", "status"));
        assertEquals("edgeshare/v1/gw/gw-louvre/res/cli", topics.response("gw-louvre", "cli"));
    }

    @Test
    void parsesWhatItBuilds() throws ProtocolException {
        for (TopicKind kind : TopicKind.values()) {
            String topic = kind == TopicKind.COMMAND ? topics.command("a.b_c-1", "fetch")
                    : kind == TopicKind.RESPONSE ? topics.response("a.b_c-1", "ops/42")
                    : topics.topic("a.b_c-1", kind);
            GatewayTopic parsed = topics.parse(topic);
            assertEquals("a.b_c-1", parsed.deviceId());
            assertEquals(kind, parsed.kind());
        }
    }

    @Test
    void parseKeepsTheCommandName() throws ProtocolException {
        assertEquals(new GatewayTopic("gw-x", TopicKind.COMMAND, "rebirth"),
                topics.parse("edgeshare/v1/gw/gw-x/cmd/rebirth"));
    }

    @Test
    void honoursAnotherPrefix() throws ProtocolException {
        Topics custom = new Topics("acme/fleet/v1");
        assertEquals(TopicKind.STATUS, custom.parse("acme/fleet/v1/gw/gw-x/status").kind());
        assertThrows(ProtocolException.class, () -> custom.parse("edgeshare/v1/gw/gw-x/status"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "edgeshare/v1/gw/+/status", "edgeshare/v1/gw/#", "edgeshare/v1/gw/gw#1/status",
            "edgeshare/v1/gw//status", "edgeshare/v1/gw/gw-x", "edgeshare/v1/gw/gw-x/", "edgeshare/v1/gw/gw-x/statusx",
            "edgeshare/v1/gw/gw-x/status/extra", "edgeshare/v1/gw/gw-x/cmd/", "edgeshare/v1/gw/gw-x/cmd/a/b",
            "edgeshare/v1/gw/gw-x/cmd/+", "edgeshare/v1/gw/gw-x/res/", "edgeshare/v1/gw/gw-x/res/#",
            "edgeshare/v1/gw/gw-x/res/a//b", "edgeshare/v1/gw/gw-x/res/a/+/b", "edgeshare/v1/gw/gw-x/policy",
            "edgeshare/v1/gw/gw-ü/status", "edgeshare/v1/gw/gw-x\u0000/status", "edgeshare/v1/gw/edgeshare-platform/status",
            "edgeshare/v1/gw/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/status",
            "other/v1/gw/gw-x/status", "edgeshare/v1/gw-x/status", "", "edgeshare/v1/gw/gw-x/res/a\nb" })
    void parseRejectsMalformedTopics(String topic) {
        assertThrows(ProtocolException.class, () -> topics.parse(topic));
    }

    @Test
    void parseRejectsNull() {
        assertThrows(ProtocolException.class, () -> topics.parse(null));
    }

    @Test
    void acceptsALongestDeviceIdOf64() throws ProtocolException {
        String id = "a".repeat(64);
        assertEquals(id, topics.parse(topics.topic(id, TopicKind.STATUS)).deviceId());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "+", "#", "a/b", "gw x", "gw:x", "gw-é", "漢字", "edgeshare-platform" })
    void buildingRefusesAnInvalidDeviceId(String id) {
        assertThrows(IllegalArgumentException.class, () -> topics.topic(id, TopicKind.PRESENCE));
    }

    @Test
    void buildingRefusesA65CharacterDeviceId() {
        assertThrows(IllegalArgumentException.class, () -> topics.topic("a".repeat(65), TopicKind.PRESENCE));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "/", "a/", "/a", "a//b", "a/+", "#", "a\tb" })
    void refusesABadPrefix(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> new Topics(prefix));
    }

    @Test
    void responseTopicsOfAnotherGatewayAreNotOurs() {
        assertTrue(topics.isResponseTopicOf("edgeshare/v1/gw/gw-a/res/cli", "gw-a"));
        assertFalse(topics.isResponseTopicOf("edgeshare/v1/gw/gw-b/res/cli", "gw-a"));
        assertFalse(topics.isResponseTopicOf("edgeshare/v1/gw/gw-a/status", "gw-a"));
        assertFalse(topics.isResponseTopicOf("platform/answers", "gw-a"));
        assertFalse(topics.isResponseTopicOf("edgeshare/v1/gw/gw-a/res/", "gw-a"));
    }

    @Test
    void subscriptionFilters() {
        assertEquals("edgeshare/v1/gw/+/presence", topics.everyGateway(TopicKind.PRESENCE));
        assertEquals("edgeshare/v1/gw/gw-a/cmd/+", topics.ownFilter("gw-a", TopicKind.COMMAND));
    }
}
