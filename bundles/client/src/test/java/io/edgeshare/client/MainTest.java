package io.edgeshare.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Exit codes and one-line errors, without a gateway (those with one: provisioning/tests ClientIT). */
class MainTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(ExitCode.USAGE, run());
    }

    @Test
    void anUnknownOptionIsAUsageErrorOnOneLine() {
        assertEquals(ExitCode.USAGE, run("ls", "--bogus"));
        assertEquals(1, errors().strip().lines().count(), errors());
    }

    @Test
    void aBadItemIdIsAUsageError() {
        assertEquals(ExitCode.USAGE, run("get", "../etc/passwd"));
        assertTrue(errors().startsWith("edgeshare client: not an item id"), errors());
    }

    @Test
    void aGatewayThatDoesNotAnswerIsUnreachable() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertEquals(ExitCode.UNREACHABLE, run("-g", "http://127.0.0.1:" + closed, "ls"));
        assertTrue(errors().contains("connection refused"), errors());
        assertEquals(1, errors().strip().lines().count(), errors());
    }
}
