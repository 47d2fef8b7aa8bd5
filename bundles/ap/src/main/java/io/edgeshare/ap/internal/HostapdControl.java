package io.edgeshare.ap.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.edgeshare.api.ap.Station;

/**
 * hostapd's control interface, spoken through {@code hostapd_cli} as a real process: the interface is a Unix
 * datagram socket, and Java 17's Unix-domain support covers stream sockets only. A control socket is a file,
 * so this works across network namespaces.
 */
final class HostapdControl {
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final long TIMEOUT_MS = 5000;

    private final String ctrlDir;
    private final String iface;

    HostapdControl(String ctrlDir, String iface) {
        this.ctrlDir = ctrlDir;
        this.iface = iface;
    }

    /** One request; the answer's text. @throws IOException when hostapd does not answer */
    String request(String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("hostapd_cli", "-p", ctrlDir, "-i", iface));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("hostapd_cli " + command[0] + " timed out");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || text.startsWith("Failed to connect")) {
                throw new IOException("hostapd does not answer on " + ctrlDir + "/" + iface + ": " + firstLine(text));
            }
            return text;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    Map<String, String> status() throws IOException {
        return keyValues(request("STATUS"));
    }

    boolean ok(String... command) throws IOException {
        return request(command).strip().equals("OK");
    }

    List<Station> allStations() throws IOException {
        return parseAllSta(request("ALL_STA"));
    }

    /** Follows hostapd's events (ATTACH): {@code hostapd_cli -a /bin/echo} prints {@code <iface> <event> ...}. */
    Process attach(Consumer<String> onEvent) throws IOException {
        Process p = new ProcessBuilder("hostapd_cli", "-p", ctrlDir, "-i", iface, "-a", "/bin/echo")
                .redirectErrorStream(true).start();
        Thread t = new Thread(() -> {
            try (var r = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    onEvent.accept(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "edgeshare-ap-hostapd-events");
        t.setDaemon(true);
        t.start();
        return p;
    }

    /**
     * The stations in an {@code ALL_STA} answer that are AUTHORIZED (past 802.1X / the 4-way handshake, or
     * associated to an open network); a deauthenticated station loses the flag at once.
     */
    static List<Station> parseAllSta(String text) {
        List<Station> out = new ArrayList<>();
        String mac = null;
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (MAC.matcher(l).matches()) {
                if (mac != null && authorized(kv)) {
                    out.add(station(mac, kv));
                }
                mac = l;
                kv = new LinkedHashMap<>();
            } else if (mac != null && l.indexOf('=') > 0) {
                kv.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
            }
        }
        if (mac != null && authorized(kv)) {
            out.add(station(mac, kv));
        }
        return out;
    }

    private static boolean authorized(Map<String, String> kv) {
        return kv.getOrDefault("flags", "").contains("[AUTHORIZED]");
    }

    private static Station station(String mac, Map<String, String> kv) {
        Integer signal = kv.containsKey("signal") ? (int) num(kv.get("signal")) : null;
        return new Station(mac, signal, num(kv.getOrDefault("connected_time", "0")),
                num(kv.getOrDefault("rx_bytes", "0")), num(kv.getOrDefault("tx_bytes", "0")));
    }

    private static long num(String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Map<String, String> keyValues(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return m;
    }

    /** Undoes hostapd's escaping of an SSID in STATUS ({@code \\xNN}, {@code \\\\}, {@code \\"} ...). */
    static String ssidText(String escaped) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\' && i + 1 < escaped.length()) {
                char n = escaped.charAt(++i);
                switch (n) {
                    case 'x' -> {
                        if (i + 2 < escaped.length()) {
                            b.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
                            i += 2;
                        }
                    }
                    case 'n' -> b.write('\n');
                    case 'r' -> b.write('\r');
                    case 't' -> b.write('\t');
                    case 'e' -> b.write(27);
                    default -> b.write(n);
                }
            } else {
                b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
