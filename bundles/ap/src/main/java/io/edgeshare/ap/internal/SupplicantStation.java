package io.edgeshare.ap.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * This gateway as a station of a nearby sharer's network (claim A3): runs {@code wpa_supplicant} for one
 * network, waits until it is connected (and, for 802.1X, authorized) through its control interface (spoken with
 * {@code wpa_cli}, for the same reason as {@link HostapdControl}), and leaves when closed.
 */
final class SupplicantStation implements AutoCloseable {

    /**
     * The network to join.
     *
     * @param ssid        SSID (ignored on a wired 802.1X port)
     * @param security    {@code open}, {@code wpa2-psk}, {@code wpa3-sae}, {@code wpa2-wpa3} or {@code 802.1x-md5}
     * @param secret      the passphrase, or the EAP password
     * @param eapIdentity the EAP identity (802.1X only)
     */
    record Network(String ssid, String security, String secret, String eapIdentity, boolean hidden) {
        String configBlock() {
            for (String v : List.of(secret, eapIdentity)) {
                if (v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\\') >= 0) {
                    throw new IllegalArgumentException("a secret or identity cannot hold quotes, backslashes or lines");
                }
            }
            StringBuilder b = new StringBuilder("network={\n");
            if (!security.equals("802.1x-md5")) {
                b.append("  ssid=").append(HexFormat.of().formatHex(ssid.getBytes(StandardCharsets.UTF_8))).append('\n');
                b.append("  scan_ssid=").append(hidden ? 1 : 0).append('\n');
            }
            switch (security) {
                case "open" -> b.append("  key_mgmt=NONE\n");
                case "wpa2-psk" -> b.append("  key_mgmt=WPA-PSK\n  psk=\"").append(secret).append("\"\n");
                case "wpa3-sae" -> b.append("  key_mgmt=SAE\n  ieee80211w=2\n  sae_password=\"").append(secret)
                        .append("\"\n");
                case "wpa2-wpa3" -> b.append("  key_mgmt=WPA-PSK SAE\n  ieee80211w=1\n  psk=\"").append(secret)
                        .append("\"\n");
                case "802.1x-md5" -> b.append("  key_mgmt=IEEE8021X\n  eap=MD5\n  identity=\"").append(eapIdentity)
                        .append("\"\n  password=\"").append(secret).append("\"\n  eapol_flags=0\n");
                default -> throw new IllegalArgumentException("security '" + security + "' unknown");
            }
            return b.append("}\n").toString();
        }
    }

    private final Process process;
    private final Path ctrl;
    private final String iface;

    private SupplicantStation(Process process, Path ctrl, String iface) {
        this.process = process;
        this.ctrl = ctrl;
        this.iface = iface;
    }

    /**
     * Joins and waits until connected.
     *
     * @param netns  network namespace to run in (empty: this one)
     * @param driver {@code nl80211} for a radio, {@code wired} for an 802.1X Ethernet port
     * @throws IOException when it is not connected within {@code timeout} (wpa_supplicant is stopped then)
     */
    static SupplicantStation join(String netns, String iface, String driver, Network network, Path dir,
            Duration timeout) throws IOException {
        Files.createDirectories(dir);
        Path conf = dir.resolve("wpa_supplicant-" + iface + ".conf");
        Path ctrl = dir.resolve("wpa-ctrl");
        Files.deleteIfExists(conf);
        Files.createFile(conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(conf, "ctrl_interface=" + ctrl + "\nap_scan=" + (driver.equals("wired") ? 0 : 1) + "\n"
                + network.configBlock());
        List<String> cmd = new ArrayList<>();
        if (!netns.isEmpty()) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(List.of("wpa_supplicant", "-D", driver, "-i", iface, "-c", conf.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("wpa_supplicant-" + iface + ".log").toFile()).start();
        SupplicantStation s = new SupplicantStation(p, ctrl, iface);
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not started";
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                Map<String, String> st = s.status();
                last = st.getOrDefault("wpa_state", "?") + ", port " + st.getOrDefault("suppPortStatus", "-");
                boolean portOk = !network.security().equals("802.1x-md5")
                        || "Authorized".equals(st.get("suppPortStatus"));
                if ("COMPLETED".equals(st.get("wpa_state")) && portOk) {
                    return s;
                }
            } catch (IOException e) {
                last = e.getMessage();
            }
            try {
                p.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        s.close();
        throw new IOException("not connected to the sharer's network within " + timeout.toMillis() + " ms: " + last);
    }

    Map<String, String> status() throws IOException {
        return HostapdControl.keyValues(request("STATUS"));
    }

    private String request(String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("wpa_cli", "-p", ctrl.toString(), "-i", iface));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (InputStream in = p.getInputStream()) {
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0 || out.startsWith("Failed to connect")) {
                p.destroyForcibly();
                throw new IOException("wpa_supplicant does not answer: " + out.strip());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** Leaves the network: EAPOL logoff / disassociation, then wpa_supplicant ends. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                request("LOGOFF");
                request("TERMINATE");
            }
        } catch (IOException e) {
            // ended already
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
