package io.edgeshare.ap.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;

import io.edgeshare.api.ap.AccessPointStatus;
import io.edgeshare.api.ap.Station;

/**
 * Claims A1 → A2 → A3 → A4 in one run, with the real hostapd, wpa_supplicant, DNS-SD and curl, in two network
 * namespaces joined by one veth pair and nothing else: gateway A turns its access point on (hostapd, driver
 * wired, 802.1X), advertises itself with DNS-SD and holds an item; gateway B finds A by DNS-SD, joins A's
 * network as a station (EAP-MD5), downloads the item over that link only, checks its SHA-256, and leaves.
 * Needs root (network namespaces); skipped with the reason printed elsewhere.
 */
class ShareOverTheAccessPointTest {
    private static final int PORT = 18_181;

    @TempDir
    Path dir;
    private WiredHostapd net;
    private AccessPointComponent gatewayA;
    private final List<Process> peers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        peers.forEach(Process::destroyForcibly);
        if (gatewayA != null) {
            gatewayA.deactivate();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void stationFindsJoinsDownloadsVerifiesAndLeaves() throws Exception {
        Optional<String> why = NetworkNamespaces.unavailable();
        assumeTrue(why.isEmpty(), () -> "needs root and network namespaces: " + why.get());
        net = new WiredHostapd(dir);
        for (String ns : List.of(net.nsA, net.nsB)) {
            // DNS-SD's group address must leave through the one link; no other route exists
            String iface = ns.equals(net.nsA) ? net.ifA : net.ifB;
            net.net.exec(ns, "ip", "route", "add", "224.0.0.0/4", "dev", iface);
        }
        assertEquals(List.of("10.77.0.0/24", "224.0.0.0/4"), routes(net.nsB), "B must reach A only over the veth");

        // A1: gateway A's hotspot
        Map<String, Object> keys = net.apKeys();
        keys.put("poll.ms", 200L);
        gatewayA = new AccessPointComponent(dir.resolve("a"), Clock.systemDefaultZone(), TestConfigs.ap(keys),
                TestConfigs.identity("gw-a"), Map.of(AccessPointComponent.GENERATION_KEY, 1L));
        assertTrue(Deadline.await(Duration.ofSeconds(15), () -> AccessPointStatus.UP.equals(gatewayA.status().state())),
                gatewayA.status().toString());
        assertTrue(Files.readString(dir.resolve("hostapd.conf"))
                .contains("vendor_elements=" + new SharingMarker("gw-a", -1).vendorElementHex()));

        // gateway A holds an item and says so with DNS-SD
        byte[] item = new byte[3_000_000];
        new Random(7).nextBytes(item);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(item));
        Path content = Files.createDirectories(dir.resolve("content"));
        Files.write(content.resolve(sha), item);
        Process sharer = peer(net.nsA, "sharer", "gw-a", "Gateway A", "10.77.0.1", Integer.toString(PORT),
                content.toString());
        assertEquals("READY", firstLine(sharer, "READY"));

        // A2: gateway B finds A with DNS-SD on the link
        Process browse = peer(net.nsB, "browse", "gw-b", "10.77.0.2", "gw-a", "20000");
        String line = firstLine(browse, "{");
        assertTrue(line != null && browse.waitFor() == 0, "B never heard A over DNS-SD");
        NamespacePeer.Found found = new Gson().fromJson(line, NamespacePeer.Found.class);
        assertEquals("Gateway A", found.displayName());
        assertEquals("http://10.77.0.1:" + PORT, found.baseUrl());
        assertEquals(List.of("mdns"), found.sources());

        // A3: B joins A's network as a station; A admits it
        String macB = net.stationMac();
        try (SupplicantStation station = SupplicantStation.join(net.nsB, net.ifB, "wired",
                new SupplicantStation.Network("", "802.1x-md5", WiredHostapd.PASSWORD, WiredHostapd.USER, false),
                dir.resolve("b"), Duration.ofSeconds(20))) {
            assertEquals("SUCCESS", station.status().get("EAP state"));
            assertTrue(Deadline.await(Duration.ofSeconds(10), () -> stationsOfA().contains(macB)),
                    "A does not list B as an authorized station");

            // A4: B downloads the item from A over that link, and checks it
            Path got = dir.resolve("b").resolve("item");
            net.net.exec(net.nsB, "curl", "-sS", "-f", "--max-time", "30", "-o", got.toString(),
                    found.baseUrl() + "/content/" + sha);
            byte[] bytes = Files.readAllBytes(got);
            assertArrayEquals(HexFormat.of().parseHex(sha), MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        // B left: A no longer lists it
        assertTrue(Deadline.await(Duration.ofSeconds(10), () -> !stationsOfA().contains(macB)),
                "B still listed after leaving");
        assertFalse(gatewayA.stations().stream().anyMatch(s -> s.mac().equals(macB)));
    }

    /** The peer's first output line starting with {@code prefix} (log lines of the child JVM are skipped). */
    private static String firstLine(Process p, String prefix) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null;) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }

    private List<String> stationsOfA() {
        return gatewayA.stations().stream().map(Station::mac).toList();
    }

    private List<String> routes(String ns) throws Exception {
        return net.net.exec(ns, "ip", "route", "show").lines().map(l -> l.split(" ")[0]).sorted().toList();
    }

    private Process peer(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                NamespacePeer.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve(args[0] + "-" + ns + ".err").toFile()).start();
        peers.add(p);
        return p;
    }
}
