package io.edgeshare.uplink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceFileTest {

    @Test
    void increasesAcrossInstances(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("seq");
        assertEquals(1, new SequenceFile(f).next());
        assertEquals(2, new SequenceFile(f).next());
        SequenceFile s = new SequenceFile(f);
        assertEquals(3, s.next());
        assertEquals(4, s.next());
        assertEquals("4", Files.readString(f));
    }

    @Test
    void corruptFileIsAnErrorNotAReset(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("seq");
        Files.writeString(f, "12x");
        IOException e = assertThrows(IOException.class, () -> new SequenceFile(f).next());
        assertEquals(true, e.getMessage().contains("corrupt"));
    }
}
