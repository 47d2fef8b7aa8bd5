package io.edgeshare.audio.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How many bytes the kernel still holds, unacknowledged, for each TCP connection of this host. A listener
 * that stops reading fills its own receive buffer and then our send queue, where writes keep succeeding
 * for minutes at audio bitrates; this is how the channel sees it anyway and drops it within the buffer
 * length. Keys are {@link #key(int, int)} of local and remote port.
 */
public interface SendQueueProbe {

    /** Queued bytes by connection; connections it cannot tell apart are left out. */
    Map<Long, Integer> queuedBytes();

    static long key(int localPort, int remotePort) {
        return ((long) localPort << 16) | remotePort;
    }

    /** No kernel view (not Linux): slow listeners are then only seen once the transport pushes back. */
    SendQueueProbe NONE = Map::of;

    /** Linux: {@code /proc/net/tcp} and {@code /proc/net/tcp6}, column {@code tx_queue}. */
    final class ProcNetTcp implements SendQueueProbe {
        private final Path[] tables;

        public ProcNetTcp(Path... tables) {
            this.tables = tables;
        }

        public static SendQueueProbe forThisHost() {
            Path v4 = Path.of("/proc/net/tcp");
            Path v6 = Path.of("/proc/net/tcp6");
            if (!Files.isReadable(v4)) {
                return NONE;
            }
            return Files.isReadable(v6) ? new ProcNetTcp(v4, v6) : new ProcNetTcp(v4);
        }

        @Override
        public Map<Long, Integer> queuedBytes() {
            Map<Long, Integer> out = new HashMap<>();
            Set<Long> ambiguous = new HashSet<>();
            for (Path t : tables) {
                try (BufferedReader r = Files.newBufferedReader(t, StandardCharsets.US_ASCII)) {
                    r.readLine(); // header
                    String line;
                    while ((line = r.readLine()) != null) {
                        parse(line, out, ambiguous);
                    }
                } catch (IOException | RuntimeException e) {
                    // a table that cannot be read gives no figures; slow listeners fall back to the ring
                }
            }
            ambiguous.forEach(out::remove);
            return out;
        }

        // "  12: 0100007F:1F90 0100007F:D2F0 01 00001A00:00000000 ..."; parsed by hand: this runs every second
        // over every TCP socket of the host
        static void parse(String line, Map<Long, Integer> out, Set<Long> ambiguous) {
            int[] start = new int[5];
            int[] end = new int[5];
            int n = 0;
            int i = 0;
            int len = line.length();
            while (n < 5 && i < len) {
                while (i < len && line.charAt(i) == ' ') {
                    i++;
                }
                start[n] = i;
                while (i < len && line.charAt(i) != ' ') {
                    i++;
                }
                end[n++] = i;
            }
            if (n < 5 || end[3] - start[3] != 2 || line.charAt(start[3]) != '0' || line.charAt(start[3] + 1) != '1') {
                return; // not ESTABLISHED
            }
            int local = hex(line, line.lastIndexOf(':', end[1]) + 1, end[1]);
            int remote = hex(line, line.lastIndexOf(':', end[2]) + 1, end[2]);
            int tx = hex(line, start[4], line.indexOf(':', start[4]));
            long k = key(local, remote);
            if (out.putIfAbsent(k, tx) != null) {
                ambiguous.add(k);
            }
        }

        private static int hex(String s, int from, int to) {
            int v = 0;
            for (int i = from; i < to; i++) {
                v = (v << 4) | Character.digit(s.charAt(i), 16);
            }
            return v;
        }
    }
}
