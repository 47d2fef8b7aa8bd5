package io.edgeshare.metrics.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** curl as the operator's client, promtool as Prometheus' own parser, and a sample-line parser for asserts. */
final class Scrape {

    record Answer(int status, String body) {
    }

    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Scrape() {
    }

    /** Runs curl (bounded by --max-time) with extra arguments and returns the status and body. */
    static Answer curl(String... args) throws Exception {
        Path body = Files.createTempFile("curl", ".body");
        try {
            List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "20", "-w", "%{http_code}", "-o",
                    body.toString()));
            cmd.addAll(Arrays.asList(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue("curl did not finish", p.waitFor(30, TimeUnit.SECONDS));
            return new Answer(Integer.parseInt(out), Files.readString(body, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(body);
        }
    }

    /** Waits (bounded) until a URL answers with the given status. */
    static Answer await(int status, String... args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Answer a = curl(args);
        while (a.status() != status) {
            assertTrue("still " + a.status() + " " + a.body(), System.nanoTime() < deadline);
            Thread.sleep(100);
            a = curl(args);
        }
        return a;
    }

    /** {@code promtool check metrics} on the text: fails the test with promtool's own words if it objects. */
    static void promtoolAccepts(String exposition) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("promtool did not finish", p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("promtool check metrics: " + out + "\n" + exposition, 0, p.exitValue());
    }

    /**
     * Sample lines by series, e.g. {@code edgeshare_fleet_push_latency_seconds_bucket{le="0.1"}}: labels sorted,
     * values parsed as Prometheus floats.
     */
    static Map<String, Double> series(String exposition) {
        Map<String, Double> out = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue("not a sample line: " + line, m.matches());
            StringBuilder key = new StringBuilder(m.group(1));
            if (m.group(3) != null) {
                java.util.TreeMap<String, String> labels = new java.util.TreeMap<>();
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
                key.append(labels.toString());
            }
            String v = m.group(4);
            double value = v.equals("+Inf") ? Double.POSITIVE_INFINITY : v.equals("-Inf")
                    ? Double.NEGATIVE_INFINITY : Double.parseDouble(v);
            assertTrue("series twice: " + key, out.put(key.toString(), value) == null);
        }
        return out;
    }

    /** The TYPE each family declares. */
    static Map<String, String> types(String exposition) {
        Map<String, String> out = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                out.put(parts[2], parts[3]);
            }
        }
        return out;
    }
}
