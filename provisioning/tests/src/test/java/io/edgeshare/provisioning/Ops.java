package io.edgeshare.provisioning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** What an operator does by hand around the runtimes: edit a shipped cfg, make a secret, run a tool, wait. */
final class Ops {
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    private Ops() {
    }

    record Result(int exit, String out) {
    }

    interface Check {
        boolean test() throws Exception;
    }

    /** Copies the shipped {@code profile/file} into {@code etc}, with one line changed (the line must exist). */
    static void edit(Path profile, Path etc, String file, String from, String to) throws IOException {
        Path source = Files.exists(etc.resolve(file)) ? etc.resolve(file) : profile.resolve(file);
        String text = Files.readString(source);
        assertTrue(text.contains(from), file + " has no line " + from);
        Files.writeString(etc.resolve(file), text.replace(from, to));
    }

    static String secret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Runs a command to its end within {@code seconds}, its output and error merged. */
    static Result run(List<String> cmd, int seconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // read on another thread so a silent child cannot block the deadline
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return new Result(-1, "timed out after " + seconds + " s: " + out.getNow(""));
        }
        return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS));
    }

    /**
     * The value of a metric on a runtime's {@code /metrics} (Prometheus text), summed over its label sets; -1 when
     * the page does not answer or lacks it.
     */
    static double metric(int httpPort, String name) {
        try {
            java.net.http.HttpResponse<String> r = HTTP.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                            .timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            double sum = -1;
            for (String line : r.body().split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    sum = Math.max(sum, 0) + Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return r.statusCode() == 200 ? sum : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Polls until the check holds (failing when a runtime in {@code watched} dies or the time is up). */
    static void await(String what, int seconds, Check check, Runtime... watched) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            for (Runtime r : watched) {
                if (!r.process.isAlive()) {
                    throw new AssertionError(what + ": runtime " + r.instance + " exited:\n" + r.log());
                }
            }
            try {
                if (check.test()) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                last = e;
            }
            Thread.sleep(300);
        }
        StringBuilder logs = new StringBuilder();
        for (Runtime r : watched) {
            logs.append("\n--- ").append(r.instance).append(" ---\n").append(r.log());
        }
        throw new AssertionError("no " + what + " within " + seconds + " s (last error: " + last + ")" + logs);
    }
}
