package io.edgeshare.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.edgeshare.api.telemetry.TelemetrySnapshot;

class ReadinessTest {

    private static List<Readiness.Part> parts(String source, Map<String, String> labels) {
        return Readiness.parts(List.of(), Map.of(), List.of(new TelemetrySnapshot(source, Instant.EPOCH, Map.of(), labels)));
    }

    private static Readiness.Part part(List<Readiness.Part> parts, String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void disconnectedBrokerIsNotReady() {
        List<Readiness.Part> p = parts("uplink", Map.of("state", "disconnected"));
        assertEquals(Readiness.Status.DOWN, part(p, "uplink:broker").status());
        assertFalse(Readiness.ready(p));
    }

    @Test
    void stoppedAdmissionIsNotReadyAndKeepsItsReasonPrivate() {
        List<Readiness.Part> p = parts("cache", Map.of("admission", "stopped", "admission.reason", "/var/x: EIO"));
        assertEquals(Readiness.Status.DOWN, part(p, "cache:store").status());
        assertFalse(p.toString().contains("/var/x"));
    }

    @Test
    void channelConfigErrorIsNotReadyAndKeepsItsTextPrivate() {
        List<Readiness.Part> p = parts("audio", Map.of("channel.main.playing", "", "channel.main.configError",
                "cannot read /srv/secret.m3u"));
        assertEquals(Readiness.Status.DOWN, part(p, "audio:channel:main").status());
        assertEquals("configuration error", part(p, "audio:channel:main").detail());
    }

    @Test
    void rejectedPolicyIsAWarningNotUnreadiness() {
        List<Readiness.Part> p = parts("policy", Map.of("outcome", "rejected", "reason", "bad signature"));
        assertEquals(Readiness.Status.WARN, part(p, "policy:outcome").status());
        assertTrue(Readiness.ready(p));
    }

    @Test
    void anAccessPointThatIsOffIsNotABrokerDown() {
        List<Readiness.Part> p = parts("ap", Map.of("state", "failed", "backend", "")); // what an empty backend says
        assertTrue(p.stream().noneMatch(x -> x.name().equals("ap:broker")), p.toString());
        assertEquals(Readiness.Status.UP, part(p, "ap:radio").status());
        assertTrue(Readiness.ready(p));
    }

    @Test
    void aFailedAccessPointIsNotReady() {
        List<Readiness.Part> p = parts("ap", Map.of("state", "failed", "backend", "hostapd"));
        assertEquals(Readiness.Status.DOWN, part(p, "ap:radio").status());
        assertFalse(Readiness.ready(p));
    }
}
