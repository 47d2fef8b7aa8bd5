package io.edgeshare.platform.fleet.internal;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.freePort;
import static io.edgeshare.testsupport.EdgeShareOptions.gson;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.httpPort;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static io.edgeshare.testsupport.EdgeShareOptions.paho;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The platform's API guard in Felix with the real whiteboard, in front of a servlet from another bundle
 * (the test's): reads pass, writes need the configured bearer token, or come from the platform host itself.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ApiAccessIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return options(core(), http(freePort()), gson(), paho(), ourBundle("api"), ourBundle("protocol"),
                bundleUnderTest());
    }

    @Test
    public void writesNeedTheTokenOnceOneIsSet() throws Exception {
        assertAllBundlesActive(context);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", "/api/probe");
        context.registerService(Servlet.class, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write("reached " + req.getMethod());
            }
        }, props);

        assertEquals("no token: the platform host may write", 200, call("POST", null).statusCode());

        Dictionary<String, Object> cfg = new Hashtable<>();
        cfg.put("token", "s3cret-token");
        configAdmin.getConfiguration("edgeshare.platform.api", "?").update(cfg);
        waitForStatus("POST", null, 401);
        HttpResponse<String> refused = call("POST", null);
        assertTrue(refused.body(), refused.body().contains("\"error\":\"unauthorized\""));
        assertEquals(401, call("DELETE", "Bearer wrong").statusCode());
        HttpResponse<String> allowed = call("POST", "Bearer s3cret-token");
        assertEquals(200, allowed.statusCode());
        assertEquals("reached POST", allowed.body());
        assertEquals("reads stay open", 200, call("GET", null).statusCode());
    }

    private void waitForStatus(String method, String auth, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (call(method, auth).statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never got " + status);
            }
            Thread.sleep(50);
        }
    }

    private HttpResponse<String> call(String method, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort(context)
                + "/api/probe")).timeout(Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody());
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
