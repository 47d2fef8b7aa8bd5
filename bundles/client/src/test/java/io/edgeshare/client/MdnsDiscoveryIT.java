package io.edgeshare.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code discover --mdns-only} finds a gateway advertising {@code _edgeshare._tcp} (K6) on a real multicast
 * link: a network namespace of our own with a veth pair (loopback does not carry multicast), the advertiser
 * and the packaged client jar each in their own process on its one address (the kernel loops multicast back
 * to the other socket; a second local address would make every packet a martian). Needs root and iproute2.
 */
class MdnsDiscoveryIT {
    private final String netns = "es-client-mdns-" + ProcessHandle.current().pid();
    private Process advertiser;

    @BeforeEach
    void link() throws Exception {
        assumeTrue(exec("ip", "netns", "add", netns) == 0, "needs root and iproute2 (ip netns)");
        assertEquals(0, exec("ip", "netns", "exec", netns, "ip", "link", "add", "es0", "type", "veth", "peer",
                "name", "es1"));
        assertEquals(0, exec("ip", "netns", "exec", netns, "ip", "addr", "add", "10.77.0.1/24", "dev", "es0"));
        assertEquals(0, exec("ip", "netns", "exec", netns, "ip", "link", "set", "es0", "up"));
        assertEquals(0, exec("ip", "netns", "exec", netns, "ip", "link", "set", "es1", "up"));
        assertEquals(0, exec("ip", "netns", "exec", netns, "ip", "route", "add", "224.0.0.0/4", "dev", "es0"));
    }

    @AfterEach
    void unlink() throws Exception {
        if (advertiser != null) {
            advertiser.getOutputStream().close();
            if (!advertiser.waitFor(10, TimeUnit.SECONDS)) {
                advertiser.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        exec("ip", "netns", "del", netns);
    }

    @Test
    void discoverFindsAGatewayAdvertisingK6() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        advertiser = new ProcessBuilder("ip", "netns", "exec", netns, java, "-cp",
                System.getProperty("java.class.path"), MdnsAdvertiser.class.getName(), "10.77.0.1", "Kiosk <B>",
                "18099", "gw-mdns").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader ready = new BufferedReader(new InputStreamReader(advertiser.getInputStream(),
                StandardCharsets.UTF_8));
        assertEquals("registered", ready.readLine());

        Path jar = Path.of("target", "edgeshare-client.jar");
        assertTrue(Files.exists(jar), "package the client first");
        Process client = new ProcessBuilder("ip", "netns", "exec", netns, java, "-jar", jar.toString(), "discover",
                "--mdns-only", "--interface", "10.77.0.1", "--wait", "4000", "--json")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(client.waitFor(60, TimeUnit.SECONDS));
        assertEquals(ExitCode.OK, client.exitValue(), out);

        JsonArray found = JsonParser.parseString(out).getAsJsonArray();
        assertEquals(1, found.size(), out);
        JsonObject s = found.get(0).getAsJsonObject();
        assertEquals("gw-mdns", s.get("deviceId").getAsString());
        assertEquals("Kiosk <B>", s.get("name").getAsString());
        assertEquals("http://10.77.0.1:18099", s.get("baseUrl").getAsString());
        List<String> channels = new ArrayList<>();
        s.getAsJsonArray("channels").forEach(c -> channels.add(c.getAsString()));
        assertEquals(List.of("main", "lobby"), channels);
    }

    private static int exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
