package io.edgeshare.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogFileTest {

    @Test
    void staysUnderItsBoundAndKeepsTheNewestFiles(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log").resolve("access.log");
        String line = "x".repeat(99); // 100 bytes with the newline
        try (RotatingLogFile f = new RotatingLogFile(log, 1024, 2)) {
            for (int i = 0; i < 50; i++) {
                f.append(line);
            }
        }
        assertTrue(Files.size(log) <= 1024);
        assertEquals(1000, Files.size(dir.resolve("log/access.log.1")));
        assertTrue(Files.exists(dir.resolve("log/access.log.2")));
        assertFalse(Files.exists(dir.resolve("log/access.log.3")));
        // 50 lines: 10 per full file, so the current one holds the last 10 - 0 = 50 - 4*10 lines
        assertEquals(10, Files.readAllLines(log).size());
    }
}
