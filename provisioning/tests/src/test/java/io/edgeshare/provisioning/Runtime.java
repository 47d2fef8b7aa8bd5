package io.edgeshare.provisioning;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One EdgeShare runtime started with ./edgeshare as its own process, as an operator would. */
final class Runtime implements AutoCloseable {
    final Process process;
    final Path instance;
    final Path log;

    private Runtime(Process process, Path instance, Path log) {
        this.process = process;
        this.instance = instance;
        this.log = log;
    }

    static Runtime start(Path instance, String... args) throws IOException {
        Path root = Path.of(System.getProperty("edgeshare.root"));
        Files.createDirectories(instance);
        Path log = instance.resolve("console.log");
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("edgeshare").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--instance", instance.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Runtime(p, instance, log);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The java process under the bash launcher (it exec's java, so they are the same). */
    long pid() {
        return process.pid();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
