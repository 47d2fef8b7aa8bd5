package io.edgeshare.karaf;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One unpacked Apache Karaf 4.4 distribution run as an operator would: {@code bin/karaf server}, commands through
 * {@code bin/client}. Its SSH and JMX ports are moved to free ones so two instances (and other builds) can run side by
 * side; Maven URLs resolve from the built feature repository and Karaf's own {@code system/} folder only (offline,
 * nothing written to ~/.m2).
 */
final class Karaf implements AutoCloseable {
    private final Path home;
    private final int sshPort;
    private Process process;

    private Karaf(Path home) throws IOException {
        this.home = home;
        this.sshPort = freePort();
    }

    /** A fresh Karaf unpacked from {@code zip} into {@code dir} (emptied first). */
    static Karaf unpack(Path zip, Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Path home = null;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("zip entry outside the folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
                if (target.getParent().getFileName().toString().equals("bin")) {
                    target.toFile().setExecutable(true);
                }
                if (home == null) {
                    home = dir.resolve(Path.of(e.getName()).getName(0));
                }
            }
        }
        return new Karaf(home);
    }

    Path home() {
        return home;
    }

    /** The test-only settings: ports, a console user for bin/client, the offline Maven resolution. */
    void prepare(Path repository) throws IOException {
        Path etc = home.resolve("etc");
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort = 8101", "sshPort = " + sshPort);
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost = 0.0.0.0", "sshHost = 127.0.0.1");
        replace(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort = 1099",
                "rmiRegistryPort = " + freePort());
        replace(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort = 44444",
                "rmiServerPort = " + freePort());
        replace(etc.resolve("users.properties"), "#karaf = karaf,_g_:admingroup", "karaf = karaf,_g_:admingroup");
        replace(etc.resolve("users.properties"), "#_g_\\:admingroup", "_g_\\:admingroup");
        Path mvn = etc.resolve("org.ops4j.pax.url.mvn.cfg");
        String text = Files.readString(mvn);
        int repos = text.indexOf("org.ops4j.pax.url.mvn.repositories=");
        int end = text.indexOf("org.ops4j.pax.url.mvn.timeout");
        text = text.substring(0, repos) + "org.ops4j.pax.url.mvn.repositories=\n" + text.substring(end);
        text = text.replace("@id=child.system.repository@snapshots",
                "@id=child.system.repository@snapshots, \\\n    " + repository.toUri() + "@id=edgeshare@snapshots");
        text += "\norg.ops4j.pax.url.mvn.localRepository=${karaf.data}/m2\n";
        Files.writeString(mvn, text);
        // docs/karaf.md: Felix HTTP waits for its configuration instead of binding 0.0.0.0:8080 first, and
        // FileInstall does not write runtime configuration (a policy's values) back into etc/
        Files.writeString(etc.resolve("custom.properties"), "\norg.apache.felix.http.require.config = true\n"
                + "felix.fileinstall.enableConfigSave = false\n", java.nio.file.StandardOpenOption.APPEND);
    }

    void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("console.out").toFile());
        pb.environment().put("JAVA_MAX_MEM", "512m");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = pb.start();
    }

    /** Runs a console command; the answer's text. Fails on a non-zero exit or after two minutes. */
    String run(String command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/client").toString(), "-a",
                Integer.toString(sshPort), "-h", "127.0.0.1", "-u", "karaf", "-p", "karaf", "-r", "60", "-d", "2",
                command));
        Path out = Files.createTempFile(home, "client", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("karaf client still running after 180 s: " + command);
        }
        String text = Files.readString(out);
        Files.delete(out);
        if (p.exitValue() != 0 || text.contains("Error executing command") || text.contains("Command not found")) {
            throw new IllegalStateException("'" + command + "' failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }

    /** Karaf's log (data/log/karaf.log), empty if not written yet. */
    String log() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(250); // polling interval of a bounded wait
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        if (!text.contains(from)) {
            throw new IllegalStateException(file + " has no '" + from + "'");
        }
        Files.writeString(file, text.replace(from, to));
    }

    /** Stops Karaf (the script and its JVM) within 40 s, forcibly after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ProcessHandle p : all) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            }
        }
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
