package io.edgeshare.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleJarTest {

    static void bundle(Path file, String bsn) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", bsn + ";singleton:=true");
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
    }

    @Test
    void infrastructureFirstEdgeShareLast(@TempDir Path dir) throws IOException {
        bundle(dir.resolve("a.jar"), "io.edgeshare.uplink");
        bundle(dir.resolve("b.jar"), "org.apache.felix.http.jetty12");
        bundle(dir.resolve("c.jar"), "org.apache.felix.scr");
        bundle(dir.resolve("d.jar"), "org.ops4j.pax.logging.pax-logging-api");
        List<BundleJar> jars = BundleJar.list(dir);
        assertEquals(List.of("org.apache.felix.scr", "org.ops4j.pax.logging.pax-logging-api",
                "org.apache.felix.http.jetty12", "io.edgeshare.uplink"),
                jars.stream().map(BundleJar::symbolicName).toList());
        assertEquals(List.of(1, 1, 2, 3), jars.stream().map(BundleJar::startLevel).toList());
    }

    @Test
    void fingerprintChangesWhenAJarIsRebuilt(@TempDir Path dir) throws IOException {
        bundle(dir.resolve("a.jar"), "io.edgeshare.api");
        String before = BundleJar.fingerprint(BundleJar.files(dir));
        assertEquals(before, BundleJar.fingerprint(BundleJar.files(dir)));
        Files.setLastModifiedTime(dir.resolve("a.jar"), FileTime.fromMillis(1000));
        assertNotEquals(before, BundleJar.fingerprint(BundleJar.files(dir)));
    }
}
