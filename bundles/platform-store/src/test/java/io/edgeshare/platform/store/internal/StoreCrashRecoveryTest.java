package io.edgeshare.platform.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.edgeshare.api.fleet.Catalog;
import io.edgeshare.api.fleet.Gateway;

/**
 * Kills a real separate JVM with SIGKILL while it writes to the embedded database from several threads, then
 * reopens the file: every write acknowledged before the kill must be there, whole (birth, report and catalog).
 */
@Timeout(240)
class StoreCrashRecoveryTest {

    @TempDir
    Path dir;

    private Map<String, Long> runAndKill(String url, String run, int killAfterAcks) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(), url, run).redirectErrorStream(true).start();
        Map<String, Long> acked = new LinkedHashMap<>();
        List<String> tail = new ArrayList<>();
        boolean killed = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while ((line = r.readLine()) != null && System.nanoTime() < deadline) {
                tail.add(line);
                if (line.startsWith("ACK ")) {
                    String[] f = line.split(" ");
                    acked.put(f[1], Long.parseLong(f[2]));
                    if (acked.size() >= killAfterAcks) {
                        p.destroyForcibly(); // SIGKILL while the other writers are mid-transaction
                        killed = true;
                        break;
                    }
                }
            }
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(killed, "the writer never reached the kill point; last output: "
                + tail.subList(Math.max(0, tail.size() - 10), tail.size()));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        return acked;
    }

    @Test
    void nothingAcknowledgedIsLostWhenTheJvmIsKilledMidWrite() throws Exception {
        String url = JdbcFleetStore.embeddedUrl(dir.resolve("fleet"));
        Map<String, Long> all = new LinkedHashMap<>();
        for (int run = 0; run < 3; run++) {
            all.putAll(runAndKill(url, "r" + run, 40 + run * 37));
            try (JdbcFleetStore store = new JdbcFleetStore(Database.open(url, "", "", 2))) {
                for (Map.Entry<String, Long> a : all.entrySet()) {
                    Gateway g = store.gateway(a.getKey()).orElse(null);
                    assertTrue(g != null, "acknowledged before the kill but lost: " + a.getKey());
                    assertEquals(a.getValue(), g.birthSeq());
                    assertTrue(store.lastReport(a.getKey()).isPresent(), "report of " + a.getKey());
                    Catalog c = store.catalog(a.getKey()).orElseThrow();
                    assertEquals(1, c.items().size(), "catalog of " + a.getKey() + " whole");
                }
            }
        }
    }
}
