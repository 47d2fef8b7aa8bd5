package io.edgeshare.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The platform's own MQTT password (user {@code edgeshare-platform}, contract K1): made once per platform
 * instance in {@code data/mqtt-platform.password} (owner-only), then reused. The launcher hands it to the
 * runtime as a framework property that the shipped configurations reference ({@code ${...}}); it is never
 * printed.
 */
final class PlatformCredential {
    static final String FILE = "mqtt-platform.password";
    static final String PROPERTY = "edgeshare.platform.mqtt.password";

    private PlatformCredential() {
    }

    static String loadOrCreate(Path data) throws IOException {
        Path file = data.resolve(FILE);
        if (Files.exists(file)) {
            String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!password.isEmpty()) {
                return password;
            }
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Path tmp = data.resolve("." + FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, password + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return password;
    }
}
