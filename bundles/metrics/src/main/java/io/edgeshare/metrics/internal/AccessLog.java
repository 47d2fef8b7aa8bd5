package io.edgeshare.metrics.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.edgeshare.support.InstanceData;

/**
 * One common-log-format line per request on every context and port (a whiteboard {@link Preprocessor}), to
 * {@code ${edgeshare.instance.dir}/data/log/access.log}, rotated by size. Off unless {@code access.log.enabled}.
 * The user field is always {@code -} and the query string is left out: tokens and search terms stay out of logs.
 */
@Component(service = Preprocessor.class, configurationPid = MetricsConfig.PID)
public final class AccessLog implements Preprocessor {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
            Locale.ENGLISH);

    private final RotatingLogFile file;

    @Activate
    public AccessLog(BundleContext context, MetricsConfig config) {
        RotatingLogFile f = null;
        if (config.access_log_enabled()) {
            Path path = InstanceData.resolve(context, "log/access.log");
            try {
                f = new RotatingLogFile(path, config.access_log_max_bytes(), config.access_log_files());
                LOG.info("edgeshare.metrics: access log at {}", path);
            } catch (IOException e) {
                LOG.warn("edgeshare.metrics: access log {} cannot be opened: {}", path, e.toString());
            }
        }
        this.file = f;
    }

    @Override
    public void init(FilterConfig config) {
        // nothing to read
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (file == null || !(request instanceof HttpServletRequest req)
                || !(response instanceof HttpServletResponse resp)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            write(req, resp);
        }
    }

    private void write(HttpServletRequest req, HttpServletResponse resp) {
        String length = resp.getHeader("Content-Length");
        String line = req.getRemoteAddr() + " - - [" + CLF_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "] \""
                + clean(req.getMethod()) + " " + clean(req.getRequestURI()) + " " + clean(req.getProtocol()) + "\" "
                + resp.getStatus() + " " + (length == null || length.isBlank() ? "-" : clean(length));
        try {
            file.append(line);
        } catch (IOException e) {
            LOG.debug("edgeshare.metrics: access log write failed: {}", e.toString());
        }
    }

    /** Keeps a line one line: no quotes, spaces or control characters from the client. */
    private static String clean(String s) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c < 0x21 || c == '"' || c == 0x7f ? '_' : c);
        }
        return b.toString();
    }

    @Override
    public void destroy() {
        // the file belongs to the component's lifecycle, not the filter's
    }

    @Deactivate
    void deactivate() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
