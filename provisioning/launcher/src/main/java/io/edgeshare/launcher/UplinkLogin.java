package io.edgeshare.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a gateway's broker credential (issued by the platform at enrolment, K5) into its uplink configuration,
 * {@code etc/edgeshare.uplink.cfg} keys {@code username} and {@code password}, keeping every other line. The
 * file becomes owner-only; the running uplink picks the change up and reconnects.
 */
final class UplinkLogin {
    static final String FILE = "edgeshare.uplink.cfg";

    private UplinkLogin() {
    }

    /** @return whether the file changed */
    static boolean write(Path etc, String username, String password) throws IOException {
        if (!username.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("the MQTT username is the device id: 1-64 letters, digits, '.', '_' or '-'");
        }
        // FileInstall reads ${...} and backslashes in .cfg values; a platform-issued password has neither
        if (!password.matches("[!-~&&[^\\\\$]]{8,256}")) {
            throw new IllegalArgumentException("the MQTT password must be 8-256 printable characters without"
                    + " spaces, '\\' or '$' (one line in the password file)");
        }
        Path file = etc.resolve(FILE);
        List<String> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String key = line.split("=", 2)[0].trim();
                if (!key.equals("username") && !key.equals("password")) {
                    lines.add(line);
                }
            }
        }
        lines.add("username = " + username);
        lines.add("password = " + password);
        String text = String.join("\n", lines) + "\n";
        if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            return false;
        }
        Path tmp = etc.resolve("." + FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    /** The password file's first line. */
    static String readPassword(Path passwordFile) throws IOException {
        if (!Files.isReadable(passwordFile)) {
            throw new IllegalArgumentException("cannot read the MQTT password file " + passwordFile);
        }
        String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
        return text.lines().findFirst().orElse("").trim();
    }
}
