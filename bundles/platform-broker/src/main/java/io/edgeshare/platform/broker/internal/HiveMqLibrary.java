package io.edgeshare.platform.broker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The HiveMQ CE jar folder. {@code lib.dir} names either that folder (the launcher's distribution) or a zip of it
 * (the Karaf feature drops {@code hivemq-lib.zip} under {@code ${karaf.data}}), which is unpacked once into the
 * instance and again only when the archive changes.
 */
final class HiveMqLibrary {
    private static final String STAMP = ".unpacked-from";

    private HiveMqLibrary() {
    }

    /** The folder holding the jars: {@code lib} itself, or {@code lib} unpacked into {@code target}. */
    static Path folder(Path lib, Path target) throws IOException {
        if (Files.isDirectory(lib)) {
            return lib;
        }
        String stamp = lib.toAbsolutePath() + " " + Files.size(lib) + " " + Files.getLastModifiedTime(lib).toMillis();
        Path stampFile = target.resolve(STAMP);
        if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
            return target;
        }
        deleteTree(target);
        Files.createDirectories(target);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(lib))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = Path.of(e.getName()).getFileName().toString();
                if (!e.isDirectory() && name.endsWith(".jar")) {
                    copy(zip, target.resolve(name));
                }
            }
        }
        Files.writeString(stampFile, stamp);
        return target;
    }

    private static void copy(InputStream in, Path file) throws IOException {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
