package io.edgeshare.client;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Finds sharers: a gateway named by URL (and the sharers nearby it lists), and gateways that advertise
 * {@code _edgeshare._tcp.local.} with DNS-SD on the local network.
 */
public final class Discovery {
    public static final String SERVICE_TYPE = "_edgeshare._tcp.local.";
    private final GatewayHttp http;

    public Discovery(GatewayHttp http) {
        this.http = http;
    }

    /** The gateway at {@code url} itself (distance 0). */
    public Sharer gateway(String url) throws ClientException {
        String base = trim(url);
        JsonObject status = http.getJson(base + "/api/status");
        String id = text(status, "deviceId");
        String name = text(status, "name");
        return new Sharer(id, name.isEmpty() ? base : name, base, 0, Set.of("url"), List.of(), List.of());
    }

    /** The sharers the gateway at {@code url} lists as nearby, nearest first; empty if it lists none. */
    public List<Sharer> nearbyOf(String url) throws ClientException {
        JsonObject body;
        try {
            body = http.getJson(trim(url) + "/api/portal/nearby");
        } catch (ClientException e) {
            if (e.exitCode() == ExitCode.NOT_FOUND) {
                return List.of(); // an older gateway without the portal's nearby list
            }
            throw e;
        }
        List<Sharer> out = new ArrayList<>();
        if (!body.has("sharers") || !body.get("sharers").isJsonArray()) {
            return out;
        }
        for (JsonElement e : body.getAsJsonArray("sharers")) {
            JsonObject s = e.getAsJsonObject();
            String portal = text(s, "portalUrl");
            if (portal.isEmpty()) {
                continue; // no usable http(s) address
            }
            double distance = s.has("distanceM") && !s.get("distanceM").isJsonNull()
                    ? s.get("distanceM").getAsDouble() : Double.NaN;
            Set<String> sources = new LinkedHashSet<>();
            if (s.has("sources")) {
                s.getAsJsonArray("sources").forEach(x -> sources.add(x.getAsString()));
            }
            List<String> ids = new ArrayList<>();
            if (s.has("contentIds")) {
                s.getAsJsonArray("contentIds").forEach(x -> ids.add(x.getAsString()));
            }
            out.add(new Sharer(text(s, "deviceId"), text(s, "name"), portal, distance, sources, ids, List.of()));
        }
        out.sort(Comparator.comparingDouble(s -> Double.isNaN(s.distanceM()) ? Double.MAX_VALUE : s.distanceM()));
        return out;
    }

    /**
     * Asks the local network for {@code _edgeshare._tcp} for {@code timeoutMs}.
     *
     * @param bind the interface address to ask on, or {@code null} for the default one
     */
    public List<Sharer> mdns(InetAddress bind, long timeoutMs) throws ClientException {
        try (JmDNS dns = bind == null ? JmDNS.create() : JmDNS.create(bind)) {
            List<Sharer> out = new ArrayList<>();
            for (ServiceInfo info : dns.list(SERVICE_TYPE, timeoutMs)) {
                Map<String, String> txt = new LinkedHashMap<>();
                for (var names = info.getPropertyNames(); names.hasMoreElements();) {
                    String key = names.nextElement();
                    txt.put(key, info.getPropertyString(key));
                }
                String[] hosts = info.getHostAddresses();
                Sharer s = fromDnsSd(info.getName(), hosts.length == 0 ? "" : hosts[0], info.getPort(), txt);
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        } catch (IOException e) {
            throw new ClientException(ExitCode.UNREACHABLE, "mDNS: cannot use the network interface ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** A sharer from one DNS-SD answer (K6: TXT {@code id}, {@code rev}, {@code channels}, {@code portal}). */
    static Sharer fromDnsSd(String instance, String host, int port, Map<String, String> txt) {
        if (host.isEmpty() || port <= 0 || port > 65535) {
            return null;
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        List<String> channels = new ArrayList<>();
        for (String c : txt.getOrDefault("channels", "").split(",")) {
            if (!c.isBlank()) {
                channels.add(c.trim());
            }
        }
        String id = txt.getOrDefault("id", "");
        return new Sharer(id, instance == null || instance.isBlank() ? id : instance, "http://" + h + ":" + port,
                Double.NaN, Set.of("mdns"), List.of(), channels);
    }

    static String trim(String url) {
        String s = url.trim();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }
}
