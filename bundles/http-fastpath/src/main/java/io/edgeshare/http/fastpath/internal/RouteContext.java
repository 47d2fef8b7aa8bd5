package io.edgeshare.http.fastpath.internal;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Where a route sits in Jetty's {@code ContextHandlerCollection}: a {@link ContextHandler} at the route's path,
 * because the collection dispatches by the context paths of its children, but one that hands a request under
 * that path straight to the route. A plain {@code ContextHandler} would wrap the request and the response per
 * request ({@code ContextRequest}, {@code ContextResponse}), set the thread's context class loader and re-enter
 * that scope around every write callback: work a route needs none of (it reads the canonical path itself and
 * never relies on the context class loader). A request the route declines ({@code false}) goes on to the
 * whiteboard's context at {@code /}, as before. Why not a wrapper in front of the whole server: README.md.
 */
final class RouteContext extends ContextHandler {

    private final Handler route;

    RouteContext(Handler route, String path) {
        super(route, path);
        this.route = route;
        setAllowNullPathInContext(true); // "/content" alone is not the route's: it declines, the whiteboard answers
        setDisplayName("edgeshare-fastpath" + path);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!isStarted() || getContext().getPathInContext(request.getHttpURI().getCanonicalPath()) == null) {
            return false;
        }
        try {
            return route.handle(request, response, callback);
        } catch (Throwable t) {
            Response.writeError(request, response, callback, t);
            return true;
        }
    }
}
