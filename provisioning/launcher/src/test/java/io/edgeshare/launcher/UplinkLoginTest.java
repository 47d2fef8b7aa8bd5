package io.edgeshare.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UplinkLoginTest {
    @TempDir
    Path etc;

    private Properties uplink() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(etc.resolve(UplinkLogin.FILE))) {
            p.load(r);
        }
        return p;
    }

    @Test
    void theLoginJoinsTheProfilesUplinkSettings() throws Exception {
        Files.writeString(etc.resolve(UplinkLogin.FILE), "broker.uri = ${edgeshare.platform.uri}\nreport.interval.s = 30\n");
        assertTrue(UplinkLogin.write(etc, "gw-louvre", "s3cret-Pa55word_x"));
        Properties p = uplink();
        assertEquals("gw-louvre", p.getProperty("username"));
        assertEquals("s3cret-Pa55word_x", p.getProperty("password"));
        assertEquals("30", p.getProperty("report.interval.s"));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(etc.resolve(UplinkLogin.FILE))));
    }

    @Test
    void aNewPasswordReplacesTheOld() throws Exception {
        UplinkLogin.write(etc, "gw-louvre", "first-password");
        UplinkLogin.write(etc, "gw-louvre", "second-password");
        assertEquals("second-password", uplink().getProperty("password"));
        assertEquals(1, Files.readAllLines(etc.resolve(UplinkLogin.FILE)).stream()
                .filter(l -> l.startsWith("password")).count());
    }

    @Test
    void theSameLoginLeavesTheFileAlone() throws Exception {
        UplinkLogin.write(etc, "gw-louvre", "first-password");
        assertFalse(UplinkLogin.write(etc, "gw-louvre", "first-password"));
    }

    @Test
    void aPasswordFileInstallWouldRewriteIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> UplinkLogin.write(etc, "gw-louvre", "${edgeshare.x}abc"));
        assertThrows(IllegalArgumentException.class, () -> UplinkLogin.write(etc, "gw-louvre", "with space here"));
    }
}
