package io.edgeshare.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Seeds an instance's {@code etc/} from a deployment profile. A file the operator never touched follows the
 * profile (a new profile version updates it); a file the operator edited is kept as it is. What was seeded
 * is remembered in {@code etc/.profile-seed} as file name = SHA-256 of the seeded content.
 */
final class ProfileSeeder {
    static final String SEED_FILE = ".profile-seed";
    static final String JVM_OPTIONS = "jvm.options";
    private final Path profile;
    private final Path etc;

    ProfileSeeder(Path profile, Path etc) {
        this.profile = profile;
        this.etc = etc;
    }

    /** Seeds and returns one line per notable action, for the operator. */
    List<String> seed() throws IOException {
        if (!Files.isDirectory(profile)) {
            throw new IllegalArgumentException("profile not found: " + profile);
        }
        List<String> report = new ArrayList<>();
        Properties seeded = new Properties();
        Path seedFile = etc.resolve(SEED_FILE);
        if (Files.exists(seedFile)) {
            try (var in = Files.newInputStream(seedFile)) {
                seeded.load(in);
            }
        }
        try (Stream<Path> files = Files.list(profile)) {
            for (Path source : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = source.getFileName().toString();
                if (name.equals(JVM_OPTIONS)) {
                    continue; // read by the launcher script before the JVM starts, not configuration
                }
                Path target = etc.resolve(name);
                byte[] content = Files.readAllBytes(source);
                String newHash = sha256(content);
                if (!Files.exists(target)) {
                    write(target, content);
                    seeded.setProperty(name, newHash);
                } else {
                    String current = sha256(Files.readAllBytes(target));
                    String before = seeded.getProperty(name);
                    if (current.equals(newHash)) {
                        seeded.setProperty(name, newHash);
                    } else if (current.equals(before)) {
                        write(target, content);
                        seeded.setProperty(name, newHash);
                        report.add("etc/" + name + " updated from profile " + profile.getFileName());
                    } else {
                        report.add("etc/" + name + " edited locally; kept (profile " + profile.getFileName()
                                + " has a different version)");
                    }
                }
            }
        }
        Path tmp = etc.resolve(SEED_FILE + ".tmp");
        try (var out = Files.newOutputStream(tmp)) {
            seeded.store(out, "files seeded from " + profile.toAbsolutePath());
        }
        Files.move(tmp, seedFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return report;
    }

    private static void write(Path target, byte[] content) throws IOException {
        // FileInstall watches etc/: write beside and rename so it never reads half a file.
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
