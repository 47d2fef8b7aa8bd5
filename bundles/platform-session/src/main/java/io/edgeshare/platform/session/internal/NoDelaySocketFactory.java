package io.edgeshare.platform.session.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * The platform's plain TCP sockets to the broker.
 * <ul>
 * <li>Nagle's algorithm off: a policy is one small message waiting for its PUBACK, and Nagle plus the broker's
 * delayed ACK would add tens of milliseconds to it.</li>
 * <li>A buffered input stream: Paho reads each packet's fixed header and length byte by byte straight from the
 * socket, one system call per byte. A node reading a fleet's births, catalogs and reports (thousands of
 * messages a second) spent a quarter of its samples there; buffered, a read fetches many packets at once.</li>
 * </ul>
 */
final class NoDelaySocketFactory extends SocketFactory {
    /** Bytes read from the kernel at once: many small packets, or a large one in few calls. */
    static final int READ_BUFFER = 64 * 1024;

    @Override
    public Socket createSocket() throws IOException {
        Socket s = new BufferedSocket();
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = createSocket();
        try {
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** A socket whose input stream is buffered (one stream per socket: Paho's receiver is its only reader). */
    private static final class BufferedSocket extends Socket {
        private InputStream in; // guarded by this

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BufferedInputStream(super.getInputStream(), READ_BUFFER);
            }
            return in;
        }
    }
}
