package io.edgeshare.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceIdTest {

    @ParameterizedTest
    @ValueSource(strings = { "gw-louvre", "a", "A.b_c-9", "edgeshare-platform2" })
    void acceptsTheRule(String id) {
        assertTrue(DeviceId.isValid(id));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "+", "#", "/", "a/b", "gw:x", "gw x", "gw-ü", "😀", "edgeshare-platform", "a\n" })
    void refusesEverythingElse(String id) {
        assertFalse(DeviceId.isValid(id));
    }

    @Test
    void lengthIsOneTo64() {
        assertTrue(DeviceId.isValid("x".repeat(64)));
        assertFalse(DeviceId.isValid("x".repeat(65)));
        assertFalse(DeviceId.isValid(null));
    }

    @Test
    void clientIdIsGwDash() {
        assertEquals("gw-gw-louvre", DeviceId.clientId("gw-louvre"));
    }

    @Test
    void requireNamesTheRuleAndNeutralisesControlCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceId.require("evil\nINFO forged"));
        assertTrue(e.getMessage().contains(DeviceId.RULE));
        assertFalse(e.getMessage().contains("\n"));
    }
}
