package io.edgeshare.platform.broker.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 a real JVM that enrols devices as fast as it can: every enrolment it acknowledged (printed) is in the
 * registry afterwards, with the password it was given.
 */
class DeviceFileCrashTest {
    @TempDir
    Path dir;

    /**
     * The child: 4 threads enrol gw-T-0, gw-T-1, ... at once (so enrolments share fsyncs) and print
     * "ACK id password" after each acknowledgement.
     */
    public static void main(String[] args) throws Exception {
        DeviceFile devices = new DeviceFile(Path.of(args[0]));
        for (int t = 0; t < 4; t++) {
            int thread = t;
            new Thread(() -> {
                for (int i = 0;; i++) {
                    DeviceRegistry.Enrolled e = devices.enrol("gw-" + thread + "-" + i);
                    say("ACK " + e.deviceId() + " " + e.password());
                }
            }).start();
        }
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void record(String line, Map<String, String> acknowledged) {
        String[] f = line.split(" ");
        if (f.length == 3 && f[0].equals("ACK")) {
            acknowledged.put(f[1], f[2]);
        }
    }

    @Test
    void aKilledRegistryLosesNoAcknowledgedEnrolment() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), DeviceFileCrashTest.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Map<String, String> acknowledged = new LinkedHashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.US_ASCII))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (acknowledged.size() < 200 && System.nanoTime() < deadline && (line = out.readLine()) != null) {
                record(line, acknowledged);
            }
            // killed while it enrols the next ones: those it acknowledged were read above
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(acknowledged.size() >= 200, "the child enrolled only " + acknowledged.size());
        DeviceFile reopened = new DeviceFile(dir);
        acknowledged.forEach((id, password) -> assertTrue(
                reopened.verify(id, password.getBytes(StandardCharsets.US_ASCII)), id + " lost"));
    }
}
