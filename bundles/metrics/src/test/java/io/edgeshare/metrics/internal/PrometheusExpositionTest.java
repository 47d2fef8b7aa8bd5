package io.edgeshare.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.edgeshare.api.telemetry.TelemetrySnapshot;

class PrometheusExpositionTest {

    private static List<String> lines(TelemetrySnapshot... snaps) {
        PrometheusExposition e = new PrometheusExposition(new MetricCatalog());
        for (TelemetrySnapshot s : snaps) {
            e.add(s);
        }
        return Arrays.asList(e.text().split("\n"));
    }

    private static TelemetrySnapshot snap(String source, Map<String, Number> m, Map<String, String> l) {
        return new TelemetrySnapshot(source, Instant.EPOCH, m, l);
    }

    @Test
    void catalogedCounterKeepsItsNameTypeAndValue() {
        List<String> out = lines(snap("cache", Map.of("bytes.served", 1234L), Map.of()));
        assertTrue(out.contains("# TYPE edgeshare_cache_served_bytes_total counter"), out.toString());
        assertTrue(out.contains("edgeshare_cache_served_bytes_total 1234"), out.toString());
    }

    @Test
    void millisecondsBecomeSeconds() {
        List<String> out = lines(snap("policy", Map.of("apply.last.ms", 250), Map.of()));
        assertTrue(out.contains("edgeshare_policy_last_apply_seconds 0.25"), out.toString());
    }

    @Test
    void unknownFigureIsASanitisedGauge() {
        List<String> out = lines(snap("radio-2", Map.of("stations.assocFailed", 7), Map.of()));
        assertTrue(out.contains("# TYPE edgeshare_radio_2_stations_assoc_failed gauge"), out.toString());
        assertTrue(out.contains("edgeshare_radio_2_stations_assoc_failed 7"), out.toString());
    }

    @Test
    void labelledFamilyTakesItsLabelFromTheKey() {
        List<String> out = lines(snap("policy", Map.of("failures.bad-signature", 2, "failures.stale", 1), Map.of()));
        assertTrue(out.contains("edgeshare_policy_failures_total{code=\"bad-signature\"} 2"), out.toString());
        assertEquals(1, out.stream().filter(l -> l.startsWith("# TYPE edgeshare_policy_failures_total")).count());
    }

    @Test
    void channelKeysBecomeChannelLabels() {
        List<String> out = lines(snap("audio", Map.of("channel.lobby.listeners", 4), Map.of()));
        assertTrue(out.contains("edgeshare_audio_channel_listeners{channel=\"lobby\"} 4"), out.toString());
    }

    @Test
    void histogramWithoutSumIsLeftOut() {
        List<String> out = lines(snap("fleet", Map.of("push.latency.seconds.bucket.le.0.1", 1,
                "push.latency.seconds.count", 1), Map.of()));
        assertFalse(out.stream().anyMatch(l -> l.contains("push_latency")), out.toString());
    }

    @Test
    void uplinkStateBecomesAConnectedGauge() {
        List<String> out = lines(snap("uplink", Map.of(), Map.of("state", "disconnected")));
        assertTrue(out.contains("edgeshare_uplink_connected 0"), out.toString());
    }

    @Test
    void labelValuesAreEscaped() {
        List<String> out = lines(snap("policy", Map.of("failures.a\"b", 1), Map.of()));
        assertTrue(out.contains("edgeshare_policy_failures_total{code=\"a\\\"b\"} 1"), out.toString());
    }
}
