package io.edgeshare.platform.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HiveMqLibraryTest {

    @Test
    void aFolderIsUsedAsItIs(@TempDir Path dir) throws Exception {
        assertEquals(dir, HiveMqLibrary.folder(dir, dir.resolve("unused")));
        assertFalse(Files.exists(dir.resolve("unused")));
    }

    @Test
    void aZipIsUnpackedOnceAndAgainWhenItChanges(@TempDir Path dir) throws Exception {
        Path zip = zip(dir.resolve("hivemq-lib.zip"), "hivemq-lib/a.jar", "../../escape.jar");
        Path target = dir.resolve("instance/hivemq-lib");
        assertEquals(target, HiveMqLibrary.folder(zip, target));
        assertTrue(Files.exists(target.resolve("a.jar")));
        assertTrue(Files.exists(target.resolve("escape.jar")), "entries land inside the folder, by file name");
        assertFalse(Files.exists(dir.resolve("escape.jar")));

        Files.delete(target.resolve("a.jar"));
        HiveMqLibrary.folder(zip, target);
        assertFalse(Files.exists(target.resolve("a.jar")), "the same archive is not unpacked twice");

        zip(zip, "b.jar");
        Files.setLastModifiedTime(zip, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        HiveMqLibrary.folder(zip, target);
        assertTrue(Files.exists(target.resolve("b.jar")));
        assertFalse(Files.exists(target.resolve("escape.jar")), "a new archive replaces the old jars");
    }

    private static Path zip(Path file, String... entries) throws Exception {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (String e : entries) {
                out.putNextEntry(new ZipEntry(e));
                out.write(e.getBytes());
                out.closeEntry();
            }
        }
        return file;
    }
}
