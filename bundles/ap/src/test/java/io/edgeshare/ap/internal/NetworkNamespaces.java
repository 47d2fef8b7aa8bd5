package io.edgeshare.ap.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces, veth pairs and child processes a test creates as root, all removed by {@link #close()}
 * even when the test fails. Names carry a random suffix so parallel runs do not collide.
 */
final class NetworkNamespaces implements AutoCloseable {
    private static final String[] TOOLS = { "/usr/sbin/ip", "/usr/sbin/hostapd", "/usr/sbin/hostapd_cli",
            "/usr/sbin/wpa_supplicant", "/usr/sbin/wpa_cli" };

    final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff), 36);
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());

    /** Why these tests cannot run here, or empty when they can (root, iproute2, hostapd, wpa_supplicant). */
    static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("needs root to create network namespaces (running as " + System.getProperty("user.name") + ")");
        }
        for (String t : TOOLS) {
            if (!Files.isExecutable(Path.of(t))) {
                return Optional.of(t + " is missing (apt-get install hostapd wpasupplicant iproute2)");
            }
        }
        try {
            String probe = "esprobe" + ThreadLocalRandom.current().nextInt(100000);
            run("ip", "netns", "add", probe);
            run("ip", "netns", "del", probe);
        } catch (IOException e) {
            return Optional.of("cannot create network namespaces: " + e.getMessage());
        }
        return Optional.empty();
    }

    String namespace(String role) throws IOException {
        String ns = "es" + role + tag;
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** A veth pair with one end in each namespace, both up, with an address each. */
    void veth(String nsA, String ifA, String addrA, String nsB, String ifB, String addrB) throws IOException {
        run("ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        run("ip", "-n", nsA, "addr", "add", addrA, "dev", ifA);
        run("ip", "-n", nsB, "addr", "add", addrB, "dev", ifB);
        run("ip", "-n", nsA, "link", "set", ifA, "up");
        run("ip", "-n", nsB, "link", "set", ifB, "up");
    }

    /** Starts a long-running process inside a namespace; it is killed by {@link #close()}. */
    Process start(String ns, Path log, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    /** Runs a command inside a namespace to its end; its output. */
    String exec(String ns, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return run(cmd.toArray(String[]::new));
    }

    static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream in = p.getInputStream()) {
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ": " + out.strip());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : namespaces) {
            try {
                // deleting the namespace removes its veth ends; a process still inside would keep it alive
                run("ip", "netns", "pids", ns).lines().forEach(pid -> ProcessHandle.of(Long.parseLong(pid.strip()))
                        .ifPresent(ProcessHandle::destroyForcibly));
                run("ip", "netns", "del", ns);
            } catch (IOException | NumberFormatException e) {
                System.err.println("cleanup of namespace " + ns + " failed: " + e.getMessage());
            }
        }
    }
}
