package io.edgeshare.ap.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a sharer puts in its beacon so a scanner can tell without joining (claim A2): a vendor-specific
 * information element (ID 221) with our OUI-style marker {@code 02:45:53} (locally administered, "ES"), type
 * {@code 0x01}, then {@code v=1;id=<device id>;rev=<catalog revision>} in ASCII. The SSID suffix
 * {@value #SSID_SUFFIX} is the fallback for scanners that cannot read vendor elements.
 *
 * @param deviceId the sharer's device id (empty when only the SSID suffix was seen)
 * @param revision its catalog revision (-1 when unknown)
 */
record SharingMarker(String deviceId, long revision) {
    static final byte[] OUI = { 0x02, 0x45, 0x53 };
    static final byte TYPE = 0x01;
    static final String SSID_SUFFIX = "~es";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern IW_VENDOR = Pattern.compile(
            "Vendor specific: OUI 02:45:53, data: ((?:[0-9a-fA-F]{2} ?)+)");

    SharingMarker {
        if (!deviceId.isEmpty() && !ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("device id '" + deviceId + "' is not [A-Za-z0-9._-]{1,64}");
        }
    }

    /** The whole element, as hostapd's {@code vendor_elements} wants it: hex of {@code dd len OUI type data}. */
    String vendorElementHex() {
        byte[] data = ("v=1;id=" + deviceId + ";rev=" + revision).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        e.write(0xdd);
        e.write(OUI.length + 1 + data.length);
        e.writeBytes(OUI);
        e.write(TYPE);
        e.writeBytes(data);
        return HexFormat.of().formatHex(e.toByteArray());
    }

    /** Our marker in a list of information elements (e.g. wpa_supplicant's {@code BSS ... ie=} hex). */
    static Optional<SharingMarker> fromInformationElements(byte[] ies) {
        int i = 0;
        while (i + 2 <= ies.length) {
            int id = ies[i] & 0xff;
            int len = ies[i + 1] & 0xff;
            if (i + 2 + len > ies.length) {
                return Optional.empty();
            }
            if (id == 0xdd && len >= 4 && ies[i + 2] == OUI[0] && ies[i + 3] == OUI[1] && ies[i + 4] == OUI[2]
                    && ies[i + 5] == TYPE) {
                byte[] data = new byte[len - 4];
                System.arraycopy(ies, i + 6, data, 0, data.length);
                return parseData(data);
            }
            i += 2 + len;
        }
        return Optional.empty();
    }

    /** Our marker in the text {@code iw dev X scan} prints for one BSS. */
    static Optional<SharingMarker> fromIwScan(String bssText) {
        Matcher m = IW_VENDOR.matcher(bssText);
        if (!m.find()) {
            return Optional.empty();
        }
        byte[] b = HexFormat.of().parseHex(m.group(1).replace(" ", ""));
        if (b.length < 1 || b[0] != TYPE) {
            return Optional.empty();
        }
        byte[] data = new byte[b.length - 1];
        System.arraycopy(b, 1, data, 0, data.length);
        return parseData(data);
    }

    private static Optional<SharingMarker> parseData(byte[] data) {
        String id = "";
        long rev = -1;
        boolean v1 = false;
        for (String part : new String(data, StandardCharsets.US_ASCII).split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = part.substring(0, eq);
            String v = part.substring(eq + 1);
            switch (k) {
                case "v" -> v1 = v.equals("1");
                case "id" -> id = v;
                case "rev" -> rev = parseLong(v);
                default -> { }
            }
        }
        if (!v1 || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return Optional.of(new SharingMarker(id, rev));
    }

    private static long parseLong(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The SSID with the fallback suffix, shortened (at a character boundary) to stay within 32 bytes. */
    static String withSuffix(String ssid) {
        String base = ssid;
        while ((base + SSID_SUFFIX).getBytes(StandardCharsets.UTF_8).length > 32) {
            base = base.substring(0, base.offsetByCodePoints(base.length(), -1));
        }
        return base + SSID_SUFFIX;
    }

    static boolean hasSuffix(String ssid) {
        return ssid.endsWith(SSID_SUFFIX);
    }

    /** Splits {@code iw dev X scan} output into one text per BSS. */
    static List<String> iwBssBlocks(String scan) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : scan.split("\n")) {
            if (line.startsWith("BSS ")) {
                if (cur != null) {
                    out.add(cur.toString());
                }
                cur = new StringBuilder();
            }
            if (cur != null) {
                cur.append(line).append('\n');
            }
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }
}
