package io.edgeshare.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The shipped home-gateway profile, started by ./edgeshare as an operator would, refuses past its caps cleanly:
 * with every download slot taken by a slow reader the next download gets 503 with Retry-After, and with the
 * channel full the next listener does too. The caps are read from the etc/ the profile seeded; a profile
 * without a cap fails here. The memory these caps keep the gateway in is measured by bench/budget/run.sh.
 */
class HomeGatewayCapsIT {

    private final List<Process> peers = new ArrayList<>();

    @AfterEach
    void stopPeers() throws InterruptedException {
        for (Process p : peers) {
            p.destroy();
        }
        for (Process p : peers) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void downloadPastTheCapGets503WithRetryAfter(@TempDir Path tmp) throws Exception {
        int http = Runtime.freePort();
        try (Runtime gateway = start(tmp, http)) {
            String base = "http://127.0.0.1:" + http;
            int cap = Integer.parseInt(setting(tmp, "edgeshare.cache.cfg", "max.concurrent.downloads"));
            Path file = tmp.resolve("film.bin");
            byte[] bytes = new byte[32 * 1024 * 1024];
            new Random(12).nextBytes(bytes);
            Files.write(file, bytes);
            JsonObject imported = JsonParser.parseString(DistributionIT.run("curl", "-s", "-f", "-X", "POST",
                    "--data-binary", "@" + file, base + "/api/cache/import?title=film.bin&category=video"))
                    .getAsJsonObject();
            String url = base + "/content/" + imported.get("id").getAsString();
            for (int i = 0; i < cap; i++) {
                peers.add(new ProcessBuilder("curl", "-s", "-o", "/dev/null", "--limit-rate", "64k", url).start());
            }
            awaitMetric(gateway, base, "cache", "downloads.active", cap);

            Answer past = get(url);
            assertEquals(503, past.status, past.toString());
            assertTrue(past.retryAfterSeconds() > 0, past.toString());
            assertEquals("busy", past.json().get("error").getAsString(), past.toString());
        }
    }

    @Test
    void listenerPastTheCapGets503WithRetryAfter(@TempDir Path tmp) throws Exception {
        int http = Runtime.freePort();
        try (Runtime gateway = start(tmp, http)) {
            String base = "http://127.0.0.1:" + http;
            assertEquals("capped", setting(tmp, "edgeshare.audio.channel-main.cfg", "admission.mode"));
            int cap = Integer.parseInt(setting(tmp, "edgeshare.audio.channel-main.cfg", "max.listeners"));
            for (int i = 0; i < cap; i++) {
                peers.add(new ProcessBuilder("curl", "-s", "-N", "-o", "/dev/null", base + "/audio/main").start());
            }
            awaitMetric(gateway, base, "audio", "listeners", cap);

            Answer past = get(base + "/audio/main");
            assertEquals(503, past.status, past.toString());
            assertTrue(past.retryAfterSeconds() > 0, past.toString());
            assertEquals("full", past.json().get("error").getAsString(), past.toString());
        }
    }

    private static Runtime start(Path tmp, int http) throws Exception {
        int nobody = Runtime.freePort(); // no platform: the caps are the profile's own
        Runtime gateway = Runtime.start(tmp.resolve("gw"), "gateway", "--profile", "home-gateway", "--http-port",
                String.valueOf(http), "--platform", "tcp://127.0.0.1:" + nobody, "--id", "gw-caps");
        DistributionIT.awaitBody(gateway, "http://127.0.0.1:" + http + "/api/status", "\"gw-caps\"", 120);
        return gateway;
    }

    /** A value of the configuration the launcher seeded into the instance's etc/ from the profile. */
    private static String setting(Path tmp, String file, String key) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(tmp.resolve("gw/etc").resolve(file), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String v = p.getProperty(key);
        assertTrue(v != null && !v.isBlank(), "the home-gateway profile sets no " + key + " in " + file);
        return v.trim();
    }

    /** Until /api/status says source's metric is {@code want} (parsed), within 60 s. */
    private static void awaitMetric(Runtime owner, String base, String source, String metric, long want)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long seen = -1;
        while (System.nanoTime() < deadline) {
            JsonObject status = JsonParser.parseString(DistributionIT.curl(base + "/api/status", 10, owner))
                    .getAsJsonObject();
            seen = status.getAsJsonObject("sources").getAsJsonObject(source).getAsJsonObject("metrics").get(metric)
                    .getAsLong();
            if (seen == want) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(source + " " + metric + " stayed at " + seen + ", not " + want + "\n" + owner.log());
    }

    /** One GET with the real curl: status, headers and body, parsed. */
    private static Answer get(String url) throws Exception {
        Process curl = new ProcessBuilder("curl", "-s", "-i", "--max-time", "10", url).start();
        byte[] out = curl.getInputStream().readNBytes(64 * 1024);
        curl.destroy();
        assertTrue(curl.waitFor(15, TimeUnit.SECONDS), "curl did not end");
        String text = new String(out, StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        assertTrue(split > 0, "no HTTP answer: " + text);
        String[] head = text.substring(0, split).split("\r\n");
        int status = Integer.parseInt(head[0].split(" ")[1]);
        String retryAfter = "";
        for (String h : head) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Retry-After")) {
                retryAfter = h.substring(colon + 1).trim();
            }
        }
        return new Answer(status, retryAfter, text.substring(split + 4));
    }

    private record Answer(int status, String retryAfter, String body) {
        int retryAfterSeconds() {
            return retryAfter.matches("[0-9]{1,6}") ? Integer.parseInt(retryAfter) : -1;
        }

        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }
    }
}
