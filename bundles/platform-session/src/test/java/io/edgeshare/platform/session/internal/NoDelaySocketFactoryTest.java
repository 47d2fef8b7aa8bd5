package io.edgeshare.platform.session.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

/** The broker sockets: no Nagle, and one buffered stream that still hands over every byte in order. */
class NoDelaySocketFactoryTest {

    @Test
    void packetsWrittenInPiecesAreReadWholeThroughTheBufferedStream() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new NoDelaySocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                        server.getLocalPort());
                Socket peer = server.accept()) {
            assertTrue(client.getTcpNoDelay());
            assertSame(client.getInputStream(), client.getInputStream(), "one stream: buffered bytes are not lost");
            byte[] first = { 0x30, 3, 'a', 'b', 'c' };
            byte[] second = new byte[200_000]; // larger than the read buffer
            for (int i = 0; i < second.length; i++) {
                second[i] = (byte) i;
            }
            OutputStream out = peer.getOutputStream();
            out.write(first, 0, 2);
            out.flush();
            out.write(first, 2, 3);
            out.write(second);
            out.flush();

            DataInputStream in = new DataInputStream(client.getInputStream());
            byte[] a = new byte[first.length];
            in.readFully(a);
            assertArrayEquals(first, a);
            byte[] b = new byte[second.length];
            in.readFully(b);
            assertArrayEquals(second, b);
        }
    }
}
