package io.edgeshare.http.fastpath.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts every Jetty core {@link Handler} service with an {@value #PATH} property as a context of its own in
 * the running Jetty server of Felix HTTP, beside the servlet whiteboard's context at {@code /}. A route declines a
 * request by returning {@code false}; Jetty then gives it to the whiteboard, so a route only answers what it can
 * answer faster, with the same semantics.
 * <p>
 * Felix HTTP Jetty 12 hands a bundle the running {@link Server} only through its {@link ConnectorFactory}
 * extension point, so this is one: {@link #createConnector} mounts the routes and returns a {@link MountConnector}
 * that never listens and whose stop (Jetty stopping or reconfigured, this bundle leaving) unmounts them.
 */
@Component(service = ConnectorFactory.class)
public final class FastPathMounter implements ConnectorFactory {

    /** The service property naming a route's path prefix, e.g. {@code /content}: one segment, lower case. */
    public static final String PATH = "edgeshare.fastpath.path";

    private static final Logger LOG = LoggerFactory.getLogger(FastPathMounter.class);
    private static final Pattern VALID = Pattern.compile("/[a-z0-9][a-z0-9-]{0,63}");

    private final Map<Handler, String> routes = new LinkedHashMap<>();
    private final Map<Handler, ContextHandler> mounted = new LinkedHashMap<>();
    private ContextHandlerCollection contexts;

    @Reference(service = Handler.class, target = "(" + PATH + "=*)", cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    synchronized void addRoute(Handler route, Map<String, Object> props) {
        String path = String.valueOf(props.get(PATH));
        if (!VALID.matcher(path).matches()) {
            LOG.warn("edgeshare.fastpath: route {} has {}={}, not one lower-case path segment; not mounted", route,
                    PATH, path);
            return;
        }
        routes.put(route, path);
        if (contexts != null) {
            mount(route, path);
        }
    }

    synchronized void removeRoute(Handler route) {
        routes.remove(route);
        unmount(route);
    }

    @Override
    public synchronized Connector createConnector(Server server) {
        ContextHandlerCollection found = server.getDescendant(ContextHandlerCollection.class);
        if (found == null) {
            LOG.warn("edgeshare.fastpath: the Jetty server has no context collection; routes not mounted, the "
                    + "servlet whiteboard serves everything");
        } else {
            contexts = found;
            routes.forEach(this::mount);
        }
        return new MountConnector(server, this::unmountAll);
    }

    private void mount(Handler route, String path) {
        ContextHandler context = new RouteContext(route, path);
        try {
            contexts.addHandler(context);
            if (!context.isStarted()) {
                context.start();
            }
            mounted.put(route, context);
            LOG.info("edgeshare.fastpath: {} served by {} (declined requests go to the servlet whiteboard)", path,
                    route.getClass().getSimpleName());
        } catch (Exception e) {
            contexts.removeHandler(context);
            LOG.warn("edgeshare.fastpath: route {} could not be mounted; the servlet whiteboard serves it: {}", path,
                    e.toString());
        }
    }

    private void unmount(Handler route) {
        ContextHandler context = mounted.remove(route);
        if (context == null || contexts == null) {
            return;
        }
        contexts.removeHandler(context);
        try {
            context.stop();
        } catch (Exception e) {
            LOG.debug("edgeshare.fastpath: stopping {} failed: {}", context, e.toString());
        }
    }

    private synchronized void unmountAll() {
        for (Handler route : routes.keySet()) {
            unmount(route);
        }
        contexts = null;
    }
}
