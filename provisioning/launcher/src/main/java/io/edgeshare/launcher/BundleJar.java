package io.edgeshare.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A bundle jar of the distribution with the start level it gets: logging, ConfigAdmin and DS first (so
 * components see configuration and log from their first breath), libraries next, EdgeShare last.
 */
record BundleJar(Path path, String symbolicName, boolean fragment, int startLevel) {

    /** The jar files of a distribution's bundle folder, in name order. */
    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** The bundles of a folder with their start levels, in install order (reads every manifest). */
    static List<BundleJar> list(Path dir) throws IOException {
        List<BundleJar> jars = new ArrayList<>();
        for (Path p : files(dir)) {
            jars.add(read(p));
        }
        jars.sort(Comparator.comparingInt(BundleJar::startLevel).thenComparing(BundleJar::symbolicName));
        return jars;
    }

    static BundleJar read(Path p) throws IOException {
        try (JarFile jar = new JarFile(p.toFile())) {
            Attributes main = jar.getManifest() == null ? new Attributes() : jar.getManifest().getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new IOException("not an OSGi bundle (no Bundle-SymbolicName): " + p);
            }
            bsn = bsn.split(";")[0].trim();
            return new BundleJar(p.toAbsolutePath(), bsn, main.getValue("Fragment-Host") != null, levelOf(bsn));
        }
    }

    static int levelOf(String bsn) {
        if (bsn.startsWith("io.edgeshare.")) {
            return Launcher.LEVEL_EDGESHARE;
        }
        if (bsn.startsWith("org.ops4j.pax.logging") || bsn.equals("org.apache.felix.configadmin")
                || bsn.equals("org.apache.felix.scr") || bsn.startsWith("org.osgi.")) {
            return Launcher.LEVEL_INFRASTRUCTURE;
        }
        return Launcher.LEVEL_LIBRARIES;
    }

    /** Changes whenever a jar is added, removed or rebuilt, so the framework cache is rebuilt with it. */
    static String fingerprint(List<Path> jars) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path j : jars) {
                Path abs = j.toAbsolutePath();
                String line = abs + ":" + Files.size(abs) + ":" + Files.getLastModifiedTime(abs) + "\n";
                md.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
