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
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    @Test
    void aRevokedDeviceIsRefused() throws Exception {
        DeviceFile devices = new DeviceFile(dir);
        String password = devices.enrol("gw-louvre").password();
        devices.revoke("gw-louvre");
        assertFalse(devices.verify("gw-louvre", bytes(password)));
    }

    @Test
    void theJournalReplaysEnrolmentsRotationsAndRevocationsInOrder() throws Exception {
        DeviceFile devices = new DeviceFile(dir);
        devices.enrol("gw-a");
        String rotated = devices.enrol("gw-a").password();
        String revokedThenBack = null;
        devices.enrol("gw-b");
        devices.revoke("gw-b");
        revokedThenBack = devices.enrol("gw-b").password();
        devices.enrol("gw-c");
        devices.revoke("gw-c");
        // read the journal as it is (without the start-up compaction of a new instance)
        List<String> lines = Files.readAllLines(dir.resolve("devices.txt"));
        assertEquals(7, lines.size(), lines.toString());
        assertEquals(2, lines.stream().filter(l -> l.startsWith("!revoke ")).count());
        DeviceFile reopened = new DeviceFile(dir);
        assertEquals(List.of("gw-a", "gw-b"), reopened.list().stream().map(DeviceRegistry.Device::deviceId).toList());
        assertTrue(reopened.verify("gw-a", bytes(rotated)));
        assertTrue(reopened.verify("gw-b", bytes(revokedThenBack)));
    }

    @Test
    void aTornLastLineIsIgnoredAndTheRegistryGoesOn() throws Exception {
        String password = new DeviceFile(dir).enrol("gw-louvre").password();
        // a process killed in the middle of appending the next enrolment
        Files.writeString(dir.resolve("devices.txt"), "gw-rivoli AAAA", java.nio.file.StandardOpenOption.APPEND);
        DeviceFile reopened = new DeviceFile(dir);
        assertEquals(List.of("gw-louvre"), reopened.list().stream().map(DeviceRegistry.Device::deviceId).toList());
        assertTrue(reopened.verify("gw-louvre", bytes(password)));
        String next = reopened.enrol("gw-rivoli").password();
        DeviceFile again = new DeviceFile(dir);
        assertTrue(again.verify("gw-rivoli", bytes(next)));
        assertTrue(again.verify("gw-louvre", bytes(password)));
    }

    @Test
    void aGarbledLineInTheMiddleIsSkippedNotFatal() throws Exception {
        String password = new DeviceFile(dir).enrol("gw-louvre").password();
        Files.writeString(dir.resolve("devices.txt"), "garbage ### line\n!revoke\n",
                java.nio.file.StandardOpenOption.APPEND);
        DeviceFile reopened = new DeviceFile(dir);
        assertTrue(reopened.verify("gw-louvre", bytes(password)));
        assertEquals(1, reopened.list().size());
    }

    @Test
    void compactionKeepsEveryLiveDeviceAndShrinksTheFile() throws Exception {
        DeviceFile devices = new DeviceFile(dir);
        java.util.Map<String, String> live = new java.util.HashMap<>();
        // 10 devices rotated 150 times each, plus revocations: far past 2 x live + 1000 lines
        for (int round = 0; round < 150; round++) {
            for (int i = 0; i < 10; i++) {
                live.put("gw-" + i, devices.enrol("gw-" + i).password());
            }
        }
        devices.enrol("gw-gone");
        devices.revoke("gw-gone");
        long lines = Files.readAllLines(dir.resolve("devices.txt")).size();
        assertTrue(lines < 1502 - 1000, "the journal was not compacted: " + lines + " lines");
        for (DeviceFile d : List.of(devices, new DeviceFile(dir))) {
            assertEquals(10, d.list().size());
            live.forEach((id, password) -> assertTrue(d.verify(id, bytes(password)), id));
        }
    }

    @Test
    void anOldPbkdf2LineStillVerifies() throws Exception {
        // the format before issue 9 (and bench/fleet's RegistrySeed before it): id salt hash iterations enrolledAt
        byte[] salt = new byte[16];
        salt[0] = 7;
        String password = "older-device-password";
        javax.crypto.SecretKeyFactory f = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] hash = f.generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, 10_000, 256))
                .getEncoded();
        Files.writeString(dir.resolve("devices.txt"), "gw-old " + Base64.getEncoder().encodeToString(salt) + " "
                + Base64.getEncoder().encodeToString(hash) + " 10000 1700000000000\n");
        DeviceFile devices = new DeviceFile(dir);
        assertTrue(devices.verify("gw-old", bytes(password)));
        assertFalse(devices.verify("gw-old", bytes(password + "x")));
        devices.enrol("gw-new");
        DeviceFile reopened = new DeviceFile(dir); // compaction wrote the old entry back as it was
        assertTrue(reopened.verify("gw-old", bytes(password)));
        assertEquals(1700000000000L, reopened.list().get(1).enrolledAtMillis());
    }

    @Test
    void newEntriesAreStoredWithTheirScheme() throws Exception {
        new DeviceFile(dir).enrol("gw-louvre");
        String[] f = Files.readAllLines(dir.resolve("devices.txt")).get(0).split(" ");
        assertEquals(5, f.length);
        assertEquals("hmac-sha256", f[3]);
    }

    /** 400 enrolments from 8 threads; returns the syncs they cost. */
    private long enrolConcurrently(DeviceFile devices, List<DeviceRegistry.Enrolled> answered) throws Exception {
        long before = devices.syncs();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<DeviceRegistry.Enrolled>> answers = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String id = "gw-" + i;
                answers.add(pool.submit(() -> devices.enrol(id)));
            }
            for (Future<DeviceRegistry.Enrolled> a : answers) {
                answered.add(a.get());
            }
            return devices.syncs() - before;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentEnrolmentsAllSurviveARestart() throws Exception {
        List<DeviceRegistry.Enrolled> answered = new ArrayList<>();
        enrolConcurrently(new DeviceFile(dir), answered);
        DeviceFile reopened = new DeviceFile(dir);
        assertEquals(400, reopened.list().size());
        answered.forEach(e -> assertTrue(reopened.verify(e.deviceId(), bytes(e.password())), e.deviceId()));
    }

    @Test
    void concurrentEnrolmentsShareFsyncs() throws Exception {
        long syncs = enrolConcurrently(new DeviceFile(dir), new ArrayList<>());
        assertTrue(syncs < 400, "each of 400 concurrent enrolments paid its own fsync: " + syncs);
    }
}
