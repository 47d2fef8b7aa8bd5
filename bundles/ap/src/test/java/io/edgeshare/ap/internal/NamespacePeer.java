package io.edgeshare.ap.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import com.google.gson.Gson;
import com.sun.net.httpserver.HttpServer;

import io.edgeshare.api.ap.NearbySharer;

/**
 * Runs as its own JVM inside a network namespace ({@code ip netns exec NS java ...}), because a JVM's sockets
 * live in the namespace it started in.
 * <ul>
 * <li>{@code sharer ID NAME ADDRESS PORT DIR}: advertises with {@link MdnsDiscovery} and serves
 * {@code /content/{file}} from DIR over HTTP (standing in for the cache bundle's content endpoint); prints
 * {@code READY}.</li>
 * <li>{@code browse ID ADDRESS WANTED TIMEOUT_MS}: browses with {@link MdnsDiscovery} until WANTED is heard,
 * prints it as one JSON line, exits 0 (1 when not found in time).</li>
 * </ul>
 */
public final class NamespacePeer {
    private NamespacePeer() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("sharer")) {
            sharer(args[1], args[2], InetAddress.getByName(args[3]), Integer.parseInt(args[4]), Path.of(args[5]));
        } else {
            System.exit(browse(args[1], InetAddress.getByName(args[2]), args[3], Long.parseLong(args[4])) ? 0 : 1);
        }
    }

    private static void sharer(String id, String name, InetAddress address, int port, Path dir) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 16);
        http.createContext("/content/", exchange -> {
            String file = exchange.getRequestURI().getPath().substring("/content/".length());
            Path f = dir.resolve(file).normalize();
            if (!file.matches("[0-9a-f]{64}") || !Files.isRegularFile(f)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(f);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        http.start();
        MdnsDiscovery mdns = MdnsDiscovery.open(address, id, Clock.systemUTC());
        mdns.advertise(new MdnsDiscovery.Advert(id, name, port, 1, List.of("main"),
                "http://" + address.getHostAddress() + ":" + port + "/"));
        System.out.println("READY");
        System.out.flush();
        // until the test kills this process
        while (System.in.read() >= 0) {
            Thread.onSpinWait();
        }
        mdns.close();
        http.stop(0);
    }

    private static boolean browse(String id, InetAddress address, String wanted, long timeoutMs) throws Exception {
        try (MdnsDiscovery mdns = MdnsDiscovery.open(address, id, Clock.systemUTC())) {
            if (!Deadline.await(java.time.Duration.ofMillis(timeoutMs),
                    () -> mdns.sharers().stream().anyMatch(s -> s.deviceId().equals(wanted)))) {
                return false;
            }
            NearbySharer s = mdns.sharers().stream().filter(x -> x.deviceId().equals(wanted)).findFirst().orElseThrow();
            System.out.println(new Gson().toJson(new Found(s.deviceId(), s.displayName(), s.baseUrl(),
                    List.copyOf(s.sources()))));
            return true;
        }
    }

    /** What browse prints. */
    record Found(String deviceId, String displayName, String baseUrl, List<String> sources) {
    }
}
