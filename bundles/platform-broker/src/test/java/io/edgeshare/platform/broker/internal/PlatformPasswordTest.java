package io.edgeshare.platform.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformPasswordTest {

    @Test
    void generatedOnceIntoAPrivateFileAndReused(@TempDir Path data) throws Exception {
        String first = PlatformPassword.loadOrCreate(data.resolve("nested"));
        assertTrue(first.length() >= 40, "32 random bytes, base64url");
        Path file = data.resolve("nested").resolve(PlatformPassword.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first, PlatformPassword.loadOrCreate(data.resolve("nested")));
    }

    @Test
    void theLaunchersFileIsUsedAsItIs(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve(PlatformPassword.FILE), "from-the-launcher\n");
        assertEquals("from-the-launcher", PlatformPassword.loadOrCreate(data));
    }

    @Test
    void anUnresolvedPlaceholderIsNotAPassword() {
        assertFalse(PlatformPassword.given("${edgeshare.platform.mqtt.password}"));
        assertFalse(PlatformPassword.given(" "));
        assertTrue(PlatformPassword.given("s3cret"));
    }
}
