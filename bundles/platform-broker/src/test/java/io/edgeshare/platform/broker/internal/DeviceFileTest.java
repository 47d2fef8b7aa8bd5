package io.edgeshare.platform.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceFileTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void anEnrolledDeviceIsKnownByItsPasswordOnly() throws Exception {
        DeviceFile devices = new DeviceFile(dir);
        String password = devices.enrol("gw-louvre").password();
        assertTrue(devices.verify("gw-louvre", bytes(password)));
        assertFalse(devices.verify("gw-louvre", bytes(password + "x")));
        assertFalse(devices.verify("gw-rivoli", bytes(password)));
    }

    @Test
    void enrollingAgainRotatesThePassword() throws Exception {
        DeviceFile devices = new DeviceFile(dir);
        String first = devices.enrol("gw-louvre").password();
        DeviceRegistry.Enrolled second = devices.enrol("gw-louvre");
        assertTrue(second.rotated());
        assertFalse(devices.verify("gw-louvre", bytes(first)));
        assertTrue(devices.verify("gw-louvre", bytes(second.password())));
    }

    @Test
    void theFileHoldsNoPassword() throws Exception {
        String password = new DeviceFile(dir).enrol("gw-louvre").password();
        String text = Files.readString(dir.resolve("devices.txt"));
        assertFalse(text.contains(password));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("devices.txt"))));
    }

    @Test
    void aRestartedRegistryKnowsEveryAcknowledgedDevice() throws Exception {
        DeviceFile devices = new DeviceFile(dir);
        List<String> passwords = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            passwords.add(devices.enrol("gw-" + i).password());
        }
        devices.revoke("gw-3");
        DeviceFile reopened = new DeviceFile(dir);
        assertEquals(19, reopened.list().size());
        assertTrue(reopened.verify("gw-7", bytes(passwords.get(7))));
        assertFalse(reopened.verify("gw-3", bytes(passwords.get(3))));
    }

    @Test
    void aTempFileLeftByACrashIsIgnored() throws Exception {
        String password = new DeviceFile(dir).enrol("gw-louvre").password();
        Files.writeString(dir.resolve("devices.txt.tmp"), "gw-half");
        DeviceFile reopened = new DeviceFile(dir);
        assertTrue(reopened.verify("gw-louvre", bytes(password)));
        reopened.enrol("gw-rivoli");
        assertEquals(2, new DeviceFile(dir).list().size());
    }

    @Test
    void revokingTellsTheListeners() throws Exception {
        DeviceFile devices = new DeviceFile(dir);
        devices.enrol("gw-louvre");
        List<String> revoked = new ArrayList<>();
        devices.addRevocationListener(revoked::add);
        assertTrue(devices.revoke("gw-louvre"));
        assertFalse(devices.revoke("gw-louvre"));
        assertEquals(List.of("gw-louvre"), revoked);
    }

    @Test
    void thePlatformsNameAndMalformedIdsAreNotDevices() throws Exception {
        DeviceFile devices = new DeviceFile(dir);
        for (String id : new String[] { "edgeshare-platform", "", "a/b", "gw+", "gw louvre", "x".repeat(65) }) {
            assertThrows(IllegalArgumentException.class, () -> devices.enrol(id), id);
        }
    }
}
