package io.edgeshare.policy.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Policy addressing uses the one device-id rule of the protocol bundle (K1). */
class PolicyTargetsTest {

    private static byte[] policyFor(String target) {
        return ("{\"schema\":1,\"generation\":1,\"issuedAt\":\"2026-11-22T00:00:00Z\","
                + "\"expiresAt\":\"2026-12-22T00:00:00Z\",\"targets\":[\"" + target
                + "\"],\"sharing\":{\"enabled\":true}}").getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = { "gw:louvre", "edgeshare-platform", "gw louvre" })
    void refusesTargetsOutsideTheDeviceIdRule(String target) {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse(policyFor(target)));
        assertTrue(e.getMessage().contains("targets"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = { 65, 128 })
    void refusesTargetsLongerThan64(int length) {
        assertThrows(PolicyException.class, () -> PolicyParser.parse(policyFor("g".repeat(length))));
    }

    @ParameterizedTest
    @ValueSource(strings = { "gw-louvre", "a.b_c-1" })
    void acceptsDeviceIds(String target) throws PolicyException {
        assertTrue(PolicyParser.parse(policyFor(target)).addresses(target));
    }
}
