package io.edgeshare.platform.fleet.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The operator's bearer token kept in the instance: generated once (32 random bytes, base64url), written
 * owner-only (0600) before it holds anything, then read at every start. The value never leaves through a
 * log or a {@code toString}.
 */
final class OperatorToken {
    static final String FILE = "operator.token";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String value;
    private final boolean generated;

    private OperatorToken(String value, boolean generated) {
        this.value = value;
        this.generated = generated;
    }

    /** Reads the token in {@code file}, or generates and stores one when the file is missing or empty. */
    static OperatorToken loadOrCreate(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!text.isEmpty()) {
                restrict(file);
                return new OperatorToken(text, false);
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix()) {
            FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            Files.createFile(tmp, mode); // owner-only from its first byte, whatever the umask
        }
        Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new OperatorToken(token, true);
    }

    /** A token file someone made readable to others is put back to owner-only. */
    private static void restrict(Path file) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    String value() {
        return value;
    }

    boolean generated() {
        return generated;
    }

    @Override
    public String toString() {
        return "OperatorToken[***]";
    }
}
