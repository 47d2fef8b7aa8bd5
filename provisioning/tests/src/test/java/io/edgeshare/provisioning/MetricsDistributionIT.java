package io.edgeshare.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The shipped gateway with every real telemetry source: its {@code /metrics} passes {@code promtool check
 * metrics}, and with its platform unreachable {@code /health} says 503 naming the uplink's broker connection.
 */
class MetricsDistributionIT {

    @Test
    void gatewayWithoutItsPlatformExportsValidMetricsAndIsNotReady(@TempDir Path tmp) throws Exception {
        int http = Runtime.freePort();
        int nobody = Runtime.freePort(); // no broker listens here
        try (Runtime gateway = Runtime.start(tmp.resolve("gw"), "gateway", "--profile", "home-gateway",
                "--http-port", String.valueOf(http), "--platform", "tcp://127.0.0.1:" + nobody, "--id", "gw-metrics",
                "--location", "48.8611,2.3359", "--name", "Metrics test")) {
            String text = DistributionIT.awaitBody(gateway, "http://127.0.0.1:" + http + "/metrics",
                    "edgeshare_uplink_connected", 90);
            Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            promtool.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            promtool.getOutputStream().close();
            String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, promtool.exitValue(), verdict + "\n" + text);

            Map<String, Double> series = new HashMap<>();
            for (String line : text.split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    int sp = line.lastIndexOf(' ');
                    series.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
                }
            }
            assertEquals(0, series.get("edgeshare_uplink_connected"), text);
            assertTrue(series.get("edgeshare_cache_quota_bytes") > 0, text);
            assertTrue(series.containsKey("edgeshare_cache_served_bytes_total"), text);
            assertTrue(series.containsKey("edgeshare_audio_listeners"), text);
            assertTrue(series.containsKey("edgeshare_policy_generation"), text);

            Process curl = new ProcessBuilder("curl", "-s", "--max-time", "10", "-w", "\n%{http_code}",
                    "http://127.0.0.1:" + http + "/health").redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(15, TimeUnit.SECONDS));
            int nl = out.lastIndexOf('\n');
            assertEquals("503", out.substring(nl + 1).trim(), out);
            JsonObject health = JsonParser.parseString(out.substring(0, nl)).getAsJsonObject();
            assertEquals("not-ready", health.get("status").getAsString());
            boolean uplinkDown = false;
            for (JsonElement p : health.getAsJsonArray("failing")) {
                uplinkDown |= p.getAsJsonObject().get("name").getAsString().equals("uplink:broker");
            }
            assertTrue(uplinkDown, health.toString());
        }
    }
}
