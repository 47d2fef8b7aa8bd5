package io.edgeshare.policy.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePolicyStoreTest {
    @TempDir
    Path dir;

    @Test
    void writesAtomicallyAndReadsBack() throws Exception {
        FilePolicyStore s = new FilePolicyStore(dir.resolve("data/policy"));
        assertTrue(s.loadGood().isEmpty());
        assertTrue(s.loadState().isEmpty());
        s.saveGood(new byte[] { 1, 2, 3 });
        s.saveGood(new byte[] { 4, 5 });
        assertArrayEquals(new byte[] { 4, 5 }, s.loadGood().orElseThrow());
        Properties p = new Properties();
        p.setProperty("running.generation", "7");
        s.saveState(p);
        assertEquals("7", s.loadState().getProperty("running.generation"));
        Path doc = dir.resolve("data/policy/policy.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(doc)));
        assertFalse(Files.exists(dir.resolve("data/policy/policy.json.tmp")), "no temporary file left");
    }

    @Test
    void aLeftoverTemporaryFileFromACrashIsIgnored() throws Exception {
        FilePolicyStore s = new FilePolicyStore(dir);
        s.saveGood(new byte[] { 9 });
        Files.write(dir.resolve("policy.json.tmp"), new byte[] { 1, 2 }); // torn write before the rename
        assertArrayEquals(new byte[] { 9 }, s.loadGood().orElseThrow());
        s.saveGood(new byte[] { 10 });
        assertArrayEquals(new byte[] { 10 }, s.loadGood().orElseThrow());
    }
}
