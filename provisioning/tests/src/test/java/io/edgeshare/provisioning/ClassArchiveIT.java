package io.edgeshare.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * ./edgeshare keeps a class archive per gateway instance (AppCDS, issue 12): the first start writes it when the
 * gateway stops, the next start maps it and still comes up.
 */
class ClassArchiveIT {

    @Test
    void firstStopWritesTheArchiveAndTheNextStartMapsIt(@TempDir Path tmp) throws Exception {
        Path instance = tmp.resolve("gw");
        Path archive = instance.resolve("data/jvm/classes.jsa");
        int http = Runtime.freePort();
        String[] args = { "gateway", "--profile", "home-gateway", "--http-port", String.valueOf(http),
                "--platform", "tcp://127.0.0.1:" + Runtime.freePort() };
        try (Runtime first = Runtime.start(instance, args)) {
            DistributionIT.curl("http://127.0.0.1:" + http + "/api/status", 90, first);
            assertFalse(commandLine(first).contains("-XX:SharedArchiveFile"), commandLine(first));
            assertFalse(Files.exists(archive), "written when the gateway stops, not before");
            first.process.destroy();
            // the archive is dumped after the framework stopped: wait for the JVM's exit, not Runtime's 20 s
            assertTrue(first.process.waitFor(90, TimeUnit.SECONDS), "the gateway did not stop");
        }
        assertTrue(Files.isRegularFile(archive) && Files.size(archive) > 1 << 20, "no class archive written");

        try (Runtime second = Runtime.start(instance, args)) {
            DistributionIT.curl("http://127.0.0.1:" + http + "/api/status", 90, second);
            assertTrue(commandLine(second).contains("-XX:SharedArchiveFile=" + archive), commandLine(second));
            JsonObject live = JsonParser.parseString(
                    DistributionIT.curl("http://127.0.0.1:" + http + "/health/live", 10, second)).getAsJsonObject();
            assertEquals("live", live.get("status").getAsString());
        }
    }

    private static String commandLine(Runtime r) throws Exception {
        return new String(Files.readAllBytes(Path.of("/proc", Long.toString(r.pid()), "cmdline")),
                StandardCharsets.UTF_8).replace('\0', ' ');
    }
}
