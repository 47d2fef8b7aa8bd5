package io.edgeshare.platform.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorTokenTest {
    @TempDir
    Path dir;

    @Test
    void theFirstStartGeneratesAnOwnerOnlyTokenFile() throws Exception {
        Path file = dir.resolve("data/operator.token");
        OperatorToken t = OperatorToken.loadOrCreate(file);
        assertTrue(t.generated());
        assertEquals(32, Base64.getUrlDecoder().decode(t.value()).length);
        assertEquals(t.value() + "\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void laterStartsReuseIt() throws Exception {
        Path file = dir.resolve("operator.token");
        String first = OperatorToken.loadOrCreate(file).value();
        OperatorToken again = OperatorToken.loadOrCreate(file);
        assertFalse(again.generated());
        assertEquals(first, again.value());
    }

    @Test
    void eachPlatformGetsItsOwn() throws Exception {
        assertNotEquals(OperatorToken.loadOrCreate(dir.resolve("a")).value(),
                OperatorToken.loadOrCreate(dir.resolve("b")).value());
    }

    @Test
    void aFileMadeReadableToOthersIsPutBackToOwnerOnly() throws Exception {
        Path file = dir.resolve("operator.token");
        OperatorToken.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        OperatorToken.loadOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void itNeverPrintsItself() throws Exception {
        OperatorToken t = OperatorToken.loadOrCreate(dir.resolve("operator.token"));
        assertFalse(t.toString().contains(t.value()));
    }
}
