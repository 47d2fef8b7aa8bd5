package io.edgeshare.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexFileTest {

    @TempDir
    Path dir;

    private static StoredItem item(String id, String title) {
        Instant t = Instant.parse("2026-03-04T05:06:07.089Z");
        return new StoredItem(id, "a".repeat(64), 42, title, "video/mp4", "video", t, null, "\"x\ty\"", null, t, true, t);
    }

    @Test
    void roundTripsEveryFieldIncludingAwkwardText() throws IOException {
        IndexFile index = new IndexFile(dir);
        List<StoredItem> items = List.of(item("a", "100% ~ tabs\tand\nlines ünïcode"), item("b", "~"));
        index.write(items);
        assertEquals(items, index.read());
    }

    @Test
    void missingIndexIsEmpty() throws IOException {
        assertEquals(List.of(), new IndexFile(dir).read());
    }

    @Test
    void truncatedOrForeignFilesAreRejected() throws IOException {
        IndexFile index = new IndexFile(dir);
        index.write(List.of(item("a", "t"), item("b", "t")));
        List<String> lines = Files.readAllLines(index.path());
        Files.write(index.path(), lines.subList(0, 2));
        assertThrows(IOException.class, index::read);
        Files.writeString(index.path(), "something else\nend 0\n");
        assertThrows(IOException.class, index::read);
        Files.writeString(index.path(), IndexFile.HEADER + "\nnot\tenough\tfields\nend 1\n");
        assertThrows(IOException.class, index::read);
    }
}
