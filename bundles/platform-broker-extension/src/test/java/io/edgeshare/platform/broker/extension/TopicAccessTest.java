package io.edgeshare.platform.broker.extension;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicAccessTest {
    private final TopicAccess access = new TopicAccess("edgeshare/v1");

    @ParameterizedTest
    @ValueSource(strings = { "presence", "status", "catalog", "policy/reported", "res/cli", "res/a/b" })
    void aDevicePublishesItsOwnReports(String rest) {
        assertTrue(access.mayPublish("gw-louvre", "edgeshare/v1/gw/gw-louvre/" + rest));
    }

    @ParameterizedTest
    @ValueSource(strings = { "edgeshare/v1/gw/gw-rivoli/status", "edgeshare/v1/gw/gw-rivoli/policy/reported",
            "edgeshare/v1/gw/gw-louvre/policy/desired", "edgeshare/v1/gw/gw-louvre/cmd/fetch",
            "edgeshare/v1/gw/gw-louvre/nearby", "edgeshare/v1/gw/gw-louvre/res/", "edgeshare/v1/gw/gw-louvre",
            "edgeshare/v1/gw/gw-louvre2/status", "other/gw/gw-louvre/status" })
    void aDevicePublishesNothingElse(String topic) {
        assertFalse(access.mayPublish("gw-louvre", topic));
    }

    @ParameterizedTest
    @ValueSource(strings = { "nearby", "cmd/+", "cmd/#", "cmd/status", "policy/desired" })
    void aDeviceSubscribesToWhatIsAddressedToIt(String rest) {
        assertTrue(access.maySubscribe("gw-louvre", "edgeshare/v1/gw/gw-louvre/" + rest));
    }

    @ParameterizedTest
    @ValueSource(strings = { "edgeshare/v1/#", "#", "edgeshare/v1/gw/+/policy/desired",
            "edgeshare/v1/gw/gw-rivoli/policy/desired", "edgeshare/v1/gw/gw-louvre/#", "edgeshare/v1/gw/gw-louvre/+",
            "edgeshare/v1/gw/gw-louvre/status", "edgeshare/v1/gw/gw-louvre/cmd/+/x", "edgeshare/v1/gw/gw-louvre/res/#" })
    void aDeviceSubscribesToNothingElse(String filter) {
        assertFalse(access.maySubscribe("gw-louvre", filter));
    }

    @ParameterizedTest
    @ValueSource(strings = { "edgeshare/v1/#", "edgeshare/v1/gw/+/status", "edgeshare/v1/gw/gw-louvre/cmd/fetch" })
    void thePlatformUsesTheWholePrefix(String topic) {
        assertTrue(access.maySubscribe(null, topic));
        assertTrue(access.mayPublish(null, topic.replace("#", "x").replace("+", "x")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "#", "$SYS/#", "other/topic" })
    void thePlatformStaysUnderThePrefix(String filter) {
        assertFalse(access.maySubscribe(null, filter));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "edgeshare-platform", "a/b", "a+b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "gw louvre" })
    void notADeviceId(String username) {
        assertFalse(TopicAccess.isDeviceId(username));
    }
}
