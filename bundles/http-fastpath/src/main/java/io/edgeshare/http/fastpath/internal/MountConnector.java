package io.edgeshare.http.fastpath.internal;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * What {@link FastPathMounter} gives Felix HTTP for its connector list: it never opens a socket nor starts a
 * thread (start and stop do not reach Jetty's connector machinery), and its stop unmounts the routes. It is a
 * {@link ServerConnector} because Felix HTTP reads host and port of every connector for its endpoint property;
 * it reports those of the real connector.
 */
final class MountConnector extends ServerConnector {

    private final Runnable onStop;

    MountConnector(Server server, Runnable onStop) {
        super(server, 0, 1, new HttpConnectionFactory());
        this.onStop = onStop;
        setName("edgeshare-fastpath");
        for (Connector c : server.getConnectors()) {
            if (c instanceof ServerConnector real && !(c instanceof MountConnector)) {
                setHost(real.getHost());
                setPort(real.getPort());
                break;
            }
        }
    }

    @Override
    protected void doStart() {
        // nothing to open: the routes are mounted already
    }

    @Override
    protected void doStop() {
        onStop.run();
    }

    @Override
    public void open() {
        // never listens
    }

    @Override
    public void close() {
        // nothing open
    }
}
