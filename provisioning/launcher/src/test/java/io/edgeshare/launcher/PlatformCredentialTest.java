package io.edgeshare.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformCredentialTest {

    @Test
    void madeOnceOwnerOnlyThenReused(@TempDir Path data) throws Exception {
        String first = PlatformCredential.loadOrCreate(data);
        assertTrue(first.length() >= 40, first.length() + " characters");
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve(PlatformCredential.FILE))));
        assertEquals(first, PlatformCredential.loadOrCreate(data));
    }

    @Test
    void eachInstanceHasItsOwn(@TempDir Path a, @TempDir Path b) throws Exception {
        assertNotEquals(PlatformCredential.loadOrCreate(a), PlatformCredential.loadOrCreate(b));
    }
}
