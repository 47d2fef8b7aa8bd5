package io.edgeshare.httphygiene.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import io.edgeshare.support.LogText;

/**
 * In every context: a client that hangs up mid-answer is one WARN line, not the runtime's ERROR with a
 * 50-line stack trace. Other failures pass on unchanged.
 */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern("/*")
@HttpWhiteboardFilterName("edgeshare-hang-up")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=*)")
public final class HangUpFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(HangUpFilter.class);

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException e) {
            if (!clientHungUp(e)) {
                throw e;
            }
            String what = request instanceof HttpServletRequest req ? req.getMethod() + " " + req.getRequestURI() : "";
            LOG.warn("HTTP client {} hung up during {}: {}", request.getRemoteAddr(), LogText.clean(what),
                    LogText.clean(String.valueOf(rootCause(e))));
        }
    }

    /** Whether {@code e} says the peer went away (Jetty's EofException, a reset or broken pipe). */
    static boolean clientHungUp(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClosedChannelException || t.getClass().getSimpleName().equals("EofException")) {
                return true;
            }
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof IOException && (m.contains("broken pipe") || m.contains("connection reset")
                    || m.contains("closed by peer"))) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
