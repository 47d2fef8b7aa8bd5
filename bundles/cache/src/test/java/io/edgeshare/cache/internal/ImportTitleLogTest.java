package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attack 7: a title with CR/LF must not write a forged line into the gateway's log. */
class ImportTitleLogTest {

    @TempDir
    Path dir;

    @Test
    void anImportTitleWithCrLfDoesNotForgeALogLine() throws Exception {
        String forged = "[main] WARN io.edgeshare.policy: policy 99 applied by operator";
        String title = "clip.mp4\r\n" + forged;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        ContentCache cache = new ContentCache(dir, Settings.from(ContentCacheTest.config(Map.of())));
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            cache.importStream(new ByteArrayInputStream(new byte[100]), 100, title, null, null, false);
        } finally {
            System.setOut(out);
            System.setErr(err);
            cache.deactivate();
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Cache imported"), "the import was logged here: " + log);
        for (String line : log.split("\\R")) {
            assertFalse(line.startsWith(forged), "a forged line: " + log);
        }
    }
}
