package io.edgeshare.bench.fleet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The fast path to a large simulated fleet, used only when asked ({@code FLEET_SEED=1}): writes the enrolments
 * of the gateways not yet in the credentials cache straight into a STOPPED platform's device registry, in the
 * registry's own format (id, salt, HMAC-SHA256 hash keyed by the salt, {@code hmac-sha256}, time: see the platform
 * broker's DeviceSecret), so the broker checks their passwords exactly as for enrolled devices. The registry is a
 * journal: revocation lines ({@code !revoke id at}) are replayed and the file is written back compacted.
 * {@code POST /api/devices} stays the way to enrol and is what the simulator measures; this remains the quick
 * way to set up 10,000 simulated gateways.
 *
 * <p>Usage: RegistrySeed DEVICES_TXT CREDENTIALS_TXT N
 */
public final class RegistrySeed {

    public static void main(String[] args) throws Exception {
        Path devices = Path.of(args[0]);
        Path credentials = Path.of(args[1]);
        int n = Math.min(20_000, Integer.parseInt(args[2]));
        Map<String, String> known = new LinkedHashMap<>();
        if (Files.exists(credentials)) {
            for (String line : Files.readAllLines(credentials, StandardCharsets.US_ASCII)) {
                String[] p = line.split(" ");
                if (p.length == 2) {
                    known.put(p[0], p[1]);
                }
            }
        }
        Map<String, String> registry = new LinkedHashMap<>();
        if (Files.exists(devices)) {
            for (String line : Files.readAllLines(devices, StandardCharsets.US_ASCII)) {
                String[] f = line.split(" ");
                if (f.length == 3 && f[0].equals("!revoke")) {
                    registry.remove(f[1]);
                } else if (f.length == 5) {
                    registry.put(f[0], line);
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.format("sim-%05d", i);
            if (!known.containsKey(id) || !registry.containsKey(id)) {
                missing.add(id);
            }
        }
        long t0 = System.nanoTime();
        SecureRandom random = new SecureRandom();
        String[][] made = new String[missing.size()][];
        IntStream.range(0, missing.size()).parallel().forEach(i -> made[i] = enrol(missing.get(i), random));
        StringBuilder creds = new StringBuilder();
        for (String[] m : made) {
            registry.put(m[0], m[2]);
            creds.append(m[0]).append(' ').append(m[1]).append('\n');
            known.put(m[0], m[1]);
        }
        Files.createDirectories(devices.getParent());
        Files.writeString(devices, String.join("\n", registry.values()) + "\n", StandardCharsets.US_ASCII);
        StringBuilder all = new StringBuilder();
        known.forEach((id, pw) -> all.append(id).append(' ').append(pw).append('\n'));
        Files.writeString(credentials, all, StandardCharsets.US_ASCII);
        System.out.printf("registry seed: %d devices written in %.1f s (HMAC-SHA256), %d already there%n",
                missing.size(), (System.nanoTime() - t0) / 1e9, n - missing.size());
    }

    private static String[] enrol(String id, SecureRandom random) {
        byte[] secret = new byte[32];
        byte[] salt = new byte[16];
        random.nextBytes(secret);
        random.nextBytes(salt);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] hash = mac.doFinal(password.getBytes(StandardCharsets.US_ASCII));
            Base64.Encoder b64 = Base64.getEncoder();
            return new String[] { id, password, id + " " + b64.encodeToString(salt) + " " + b64.encodeToString(hash)
                    + " hmac-sha256 " + System.currentTimeMillis() };
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
