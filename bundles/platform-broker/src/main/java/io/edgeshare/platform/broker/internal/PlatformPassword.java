package io.edgeshare.platform.broker.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The platform's MQTT password when no launcher provided one (Karaf): made once into the instance's
 * {@code data/mqtt-platform.password} (mode 0600; the file the launcher uses too), reused afterwards, never logged.
 */
final class PlatformPassword {
    static final String FILE = "mqtt-platform.password";

    private PlatformPassword() {
    }

    /** An empty value or an unresolved {@code ${...}} placeholder: not a password. */
    static boolean given(String configured) {
        return configured != null && !configured.isBlank() && !configured.contains("${");
    }

    static String loadOrCreate(Path data) throws IOException {
        Path file = data.resolve(FILE);
        if (Files.exists(file)) {
            String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!password.isEmpty()) {
                return password;
            }
        }
        Files.createDirectories(data);
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
