package io.edgeshare.audio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SendQueueProbeTest {

    @Test
    void parsesEstablishedConnectionsAndLeavesAmbiguousOnesOut() {
        Map<Long, Integer> out = new HashMap<>();
        Set<Long> amb = new HashSet<>();
        SendQueueProbe.ProcNetTcp.parse("   3: 0100007F:1F90 0100007F:D2F0 01 00001A00:00000000 00:00000000 00000000 0 0 1 1", out, amb);
        SendQueueProbe.ProcNetTcp.parse("   4: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1", out, amb);
        assertEquals(Map.of(SendQueueProbe.key(0x1F90, 0xD2F0), 0x1A00), out);
        SendQueueProbe.ProcNetTcp.parse("   5: 0200007F:1F90 0200007F:D2F0 01 00000001:00000000 00:00000000 00000000 0 0 1 1", out, amb);
        assertTrue(amb.contains(SendQueueProbe.key(0x1F90, 0xD2F0)));
    }

    @Test
    void seesBytesAReaderLeavesUnreadOnThisLinuxHost() throws Exception {
        SendQueueProbe probe = SendQueueProbe.ProcNetTcp.forThisHost();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux only");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(server.getLocalSocketAddress());
            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout(2000);
                accepted.getOutputStream().write(new byte[60_000]);
                long key = SendQueueProbe.key(accepted.getLocalPort(), accepted.getPort());
                Thread.sleep(200);
                Integer queued = probe.queuedBytes().get(key);
                assertTrue(queued != null && queued > 10_000, "queued " + queued);
                InputStream in = client.getInputStream();
                in.readNBytes(60_000);
                Thread.sleep(200);
                Integer after = probe.queuedBytes().get(key);
                assertFalse(after != null && after > 0, "drained: " + after);
            }
        }
    }
}
