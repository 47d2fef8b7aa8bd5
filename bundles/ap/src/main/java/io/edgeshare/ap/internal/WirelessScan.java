package io.edgeshare.ap.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.ap.internal.Radio.RadioSighting;

/** Looks for other sharers' beacon markers with {@code iw dev IFACE scan} (needs a radio that can scan). */
final class WirelessScan {
    private static final Logger LOG = LoggerFactory.getLogger(WirelessScan.class);
    private static final Pattern SSID = Pattern.compile("\\n\\s*SSID: ([^\\n]*)");
    private static final Pattern SIGNAL = Pattern.compile("\\n\\s*signal: (-?\\d+)(?:\\.\\d+)? dBm");

    private WirelessScan() {
    }

    static List<RadioSighting> scan(String netns, String iface) {
        List<String> cmd = new ArrayList<>();
        if (!netns.isEmpty()) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(List.of("iw", "dev", iface, "scan"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                LOG.debug("iw scan on {} failed: {}", iface, new String(out, StandardCharsets.UTF_8).strip());
                return List.of();
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debug("iw scan on {} failed: {}", iface, e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Sharers in {@code iw scan} output: the vendor-element marker, else the SSID suffix (no device id then). */
    static List<RadioSighting> parse(String scan) {
        List<RadioSighting> out = new ArrayList<>();
        for (String bss : SharingMarker.iwBssBlocks(scan)) {
            Matcher sm = SSID.matcher(bss);
            String ssid = sm.find() ? sm.group(1).strip() : "";
            Matcher sg = SIGNAL.matcher(bss);
            Integer signal = sg.find() ? Integer.valueOf(sg.group(1)) : null;
            Optional<SharingMarker> marker = SharingMarker.fromIwScan(bss);
            if (marker.isPresent()) {
                out.add(new RadioSighting(marker.get().deviceId(), ssid, marker.get().revision(), signal));
            } else if (SharingMarker.hasSuffix(ssid)) {
                out.add(new RadioSighting("", ssid, -1, signal));
            }
        }
        return out;
    }
}
