package io.edgeshare.httphygiene.itest;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.freePort;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.httpPort;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.servlet.context.ServletContextHelper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The hygiene preprocessor in Felix with the real Jetty whiteboard: curl {@code -X TRACE} and {@code -X TRACK}
 * are refused in the default context and in a context of its own (as the platform's {@code /api} has), and
 * every answer carries {@code nosniff}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HttpHygieneIT {

    @Inject
    private BundleContext context;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return options(core(), http(freePort()), bundleUnderTest());
    }

    /** A servlet that would happily answer TRACE itself (HttpServlet's doTrace echoes the request). */
    public static final class EchoServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().write("hello");
        }
    }

    @Before
    public void register() {
        Dictionary<String, Object> ctx = new Hashtable<>();
        ctx.put("osgi.http.whiteboard.context.name", "hygiene-test");
        ctx.put("osgi.http.whiteboard.context.path", "/api");
        registrations.add(context.registerService(ServletContextHelper.class, new ServletContextHelper() { }, ctx));
        Dictionary<String, Object> inDefault = new Hashtable<>();
        inDefault.put("osgi.http.whiteboard.servlet.pattern", "/echo/*");
        registrations.add(context.registerService(Servlet.class, new EchoServlet(), inDefault));
        Dictionary<String, Object> inApi = new Hashtable<>();
        inApi.put("osgi.http.whiteboard.servlet.pattern", "/echo/*");
        inApi.put("osgi.http.whiteboard.context.select", "(osgi.http.whiteboard.context.name=hygiene-test)");
        registrations.add(context.registerService(Servlet.class, new EchoServlet(), inApi));
    }

    @After
    public void unregister() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }

    private String base() {
        return "http://127.0.0.1:" + httpPort(context);
    }

    private void awaitServed(String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!curl(null, url).equals("200")) {
            assertTrue("not served in time: " + url, System.nanoTime() < deadline);
            Thread.sleep(50);
        }
    }

    @Test
    public void traceAndTrackAreRefusedInEveryContext() throws Exception {
        assertAllBundlesActive(context);
        for (String path : new String[] { "/echo/x", "/api/echo/x", "/no-such-servlet" }) {
            if (!path.startsWith("/no-such")) {
                awaitServed(base() + path);
            }
            for (String method : new String[] { "TRACE", "TRACK" }) {
                Path out = Files.createTempFile("curl", ".body");
                try {
                    String code = curl(out, "-X", method, "-H", "Cookie: secret=1", "-H", "Authorization: Bearer t0k3n",
                            base() + path);
                    assertEquals(method + " " + path, "405", code);
                    String body = Files.readString(out, StandardCharsets.UTF_8);
                    assertFalse("the request is not echoed: " + body, body.contains("t0k3n") || body.contains("secret"));
                } finally {
                    Files.deleteIfExists(out);
                }
            }
        }
    }

    @Test
    public void everyAnswerSaysNosniff() throws Exception {
        assertAllBundlesActive(context);
        awaitServed(base() + "/api/echo/x");
        Path headers = Files.createTempFile("curl", ".headers");
        try {
            assertEquals("200", curl(null, "-D", headers.toString(), base() + "/api/echo/x"));
            String h = Files.readString(headers).toLowerCase(Locale.ROOT);
            assertTrue(h, h.contains("x-content-type-options: nosniff"));
        } finally {
            Files.deleteIfExists(headers);
        }
    }

    /** Runs curl (bounded by --max-time) and returns the HTTP status it saw. */
    private static String curl(Path body, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "20", "-w", "%{http_code}", "-o",
                body == null ? "/dev/null" : body.toString()));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("curl did not finish", p.waitFor(30, TimeUnit.SECONDS));
        return outText.trim();
    }
}
