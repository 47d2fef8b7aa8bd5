package io.edgeshare.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrolmentTest {

    @Test
    void enrolsOnceWithAGeneratedIdAndKeepsIt(@TempDir Path etc) throws IOException {
        String id = Enrolment.enrolIfNeeded(etc, Map.of("device.id", "", "location.latitude", "48.5"));
        assertTrue(id.matches("gw-[0-9a-f]{8}"), id);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(etc.resolve(Enrolment.FILE))) {
            p.load(r);
        }
        assertEquals(id, p.getProperty("device.id"));
        assertEquals("48.5", p.getProperty("location.latitude"));

        assertNull(Enrolment.enrolIfNeeded(etc, Map.of("device.id", "other")), "second boot keeps the identity");
        try (Reader r = Files.newBufferedReader(etc.resolve(Enrolment.FILE))) {
            p.load(r);
        }
        assertEquals(id, p.getProperty("device.id"));
    }

    @Test
    void rejectsIdsThatWouldBreakTopics(@TempDir Path etc) {
        assertThrows(IllegalArgumentException.class, () -> Enrolment.enrolIfNeeded(etc, Map.of("device.id", "a/b")));
        assertThrows(IllegalArgumentException.class, () -> Enrolment.enrolIfNeeded(etc, Map.of("device.id", "a+#")));
    }
}
