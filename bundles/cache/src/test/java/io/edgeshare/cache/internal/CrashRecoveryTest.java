package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real separate JVM with SIGKILL in the middle of admissions (a large one streaming, and small ones
 * committing back to back), then reopens the store: nothing partial may be served, everything announced as
 * committed must be there, and the index must match the objects exactly.
 */
@Timeout(180)
class CrashRecoveryTest {

    @TempDir
    Path dir;

    /** Starts the admitting JVM and kills it once {@code killWhen} sees a matching line. */
    private Map<String, String> runAndKill(String seed, int smallItems, java.util.function.Predicate<String> killWhen)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                CrashAdmissionMain.class.getName(), dir.toString(), Integer.toString(smallItems), seed)
                .redirectErrorStream(true).start();
        Map<String, String> committed = new HashMap<>();
        boolean killed = false;
        List<String> tail = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((line = r.readLine()) != null && System.nanoTime() < deadline) {
                tail.add(line);
                if (line.startsWith("COMMITTED ")) {
                    String[] f = line.split(" ");
                    committed.put(f[1], f[2]);
                }
                if (killWhen.test(line)) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                    killed = true;
                    break;
                }
            }
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(killed, "the child never reached the kill point; last output: "
                + tail.subList(Math.max(0, tail.size() - 10), tail.size()));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        return committed;
    }

    @Test
    void killDuringALargeAdmission() throws Exception {
        Map<String, String> committed = runAndKill("1", 5, line -> line.startsWith("LARGE ")
                && Long.parseLong(line.substring(6)) >= 24L << 20);
        assertEquals(5, committed.size());
        assertTrue(hasPartialFile(), "the kill left a partial admission behind (else this test proves nothing)");
        verifyRecovered(committed, "large-1");
    }

    @Test
    void killWhileSmallItemsCommitBackToBack() throws Exception {
        Map<String, String> all = new HashMap<>();
        // several kills at different points of the commit sequence, each run adding to the same store
        for (int run = 0; run < 4; run++) {
            int killAfter = 3 + run * 7;
            int[] seen = {0};
            Map<String, String> committed = runAndKill("s" + run, 200,
                    line -> line.startsWith("COMMITTED ") && ++seen[0] >= killAfter);
            all.putAll(committed);
            verifyRecovered(all, null);
        }
    }

    private boolean hasPartialFile() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("tmp"))) {
            return s.findAny().isPresent();
        }
    }

    private void verifyRecovered(Map<String, String> committed, String neverFinished) throws IOException {
        try (DiskContentStore store = new DiskContentStore(dir, Long.MAX_VALUE / 4, 0, Clock.systemUTC())) {
            Map<String, StoredItem> items = store.items().stream()
                    .collect(Collectors.toMap(StoredItem::id, i -> i));
            if (neverFinished != null) {
                assertTrue(store.get(neverFinished).isEmpty(), "the interrupted admission is not served");
            }
            for (Map.Entry<String, String> c : committed.entrySet()) {
                StoredItem item = items.get(c.getKey());
                assertTrue(item != null, "committed before the crash but lost: " + c.getKey());
                assertEquals(c.getValue(), item.sha256());
            }
            Set<String> objectNames = new HashSet<>();
            try (Stream<Path> s = Files.walk(dir.resolve("objects"))) {
                for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                    objectNames.add(p.getFileName().toString());
                }
            }
            Set<String> referenced = new HashSet<>();
            long expectedUsed = 0;
            for (StoredItem item : items.values()) {
                if (referenced.add(item.sha256())) {
                    expectedUsed += item.size();
                }
                Path object = dir.resolve("objects").resolve(item.sha256().substring(0, 2)).resolve(item.sha256());
                assertEquals(item.size(), Files.size(object));
                assertEquals(item.sha256(), sha256(object), "object content matches its address");
            }
            assertEquals(referenced, objectNames, "no orphan objects, no missing objects");
            assertEquals(expectedUsed, store.stats().usedBytes());
            assertTrue(!hasPartialFile(), "partial admissions discarded");
        }
    }

    private static String sha256(Path p) throws IOException {
        MessageDigest md = Hex.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(p), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return Hex.hex(md.digest());
    }
}
