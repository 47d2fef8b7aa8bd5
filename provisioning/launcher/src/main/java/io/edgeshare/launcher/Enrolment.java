package io.edgeshare.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * First-boot enrolment of a gateway: writes {@code etc/edgeshare.identity.cfg} (device id, model, profile,
 * location, portal URL) once. Later boots leave it alone, so a device keeps its identity; an operator may edit
 * the file and the running gateway picks the change up.
 */
final class Enrolment {
    static final String FILE = "edgeshare.identity.cfg";
    static final String POLICY_FILE = "edgeshare.policy.cfg";

    private Enrolment() {
    }

    /**
     * @param values keys of the identity PID; {@code device.id} is generated when absent or blank
     * @return the device id written, or {@code null} when the gateway was already enrolled
     */
    static String enrolIfNeeded(Path etc, Map<String, String> values) throws IOException {
        Path file = etc.resolve(FILE);
        if (Files.exists(file)) {
            return null;
        }
        Map<String, String> identity = new LinkedHashMap<>(values);
        String id = identity.get("device.id");
        if (id == null || id.isBlank()) {
            byte[] random = new byte[4];
            new SecureRandom().nextBytes(random);
            id = "gw-" + HexFormat.of().formatHex(random);
            identity.put("device.id", id);
        }
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("device id must be 1-64 letters, digits, '.', '_' or '-': " + id);
        }
        StringBuilder text = new StringBuilder("# Written at enrolment (first boot). Who this gateway is.\n");
        identity.forEach((k, v) -> text.append(k).append(" = ").append(escape(v)).append('\n'));
        Path tmp = etc.resolve("." + FILE + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return id;
    }

    /**
     * Provisions the platform's Ed25519 public key (base64) that signs sharing policies, unless a key is
     * already configured: a gateway keeps trusting the key it was enrolled with.
     *
     * @return whether the key was written
     */
    static boolean trustPlatformKey(Path etc, String base64Key) throws IOException {
        checkPlatformKey(base64Key);
        Path file = etc.resolve(POLICY_FILE);
        if (Files.exists(file) && Files.readString(file).contains("platform.public.key")) {
            return false;
        }
        String text = (Files.exists(file) ? Files.readString(file) : "# Written at enrolment.\n")
                + "platform.public.key = " + base64Key + "\n";
        Path tmp = etc.resolve("." + POLICY_FILE + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    static void checkPlatformKey(String base64Key) {
        if (!base64Key.matches("[A-Za-z0-9+/=]{40,200}")) {
            throw new IllegalArgumentException("the platform key must be base64 (GET /api/policy-key on the platform)");
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
