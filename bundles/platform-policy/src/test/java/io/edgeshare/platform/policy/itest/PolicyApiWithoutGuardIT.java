package io.edgeshare.platform.policy.itest;

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
import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

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
import org.osgi.util.tracker.ServiceTracker;

import jakarta.servlet.Servlet;

/**
 * Fails closed: without platform-fleet's guarded {@code edgeshare-platform-api} context the policy servlets are
 * registered but nothing of the API is served, not even the public key.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PolicyApiWithoutGuardIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return options(core(), http(freePort()), gson(), paho(), ourBundle("api"), ourBundle("protocol"), ourBundle("platform-session"), bundleUnderTest());
    }

    @Test
    public void noGuardNoApi() throws Exception {
        assertAllBundlesActive(context);
        Dictionary<String, Object> d = new Hashtable<>();
        d.put("broker.uri", "tcp://127.0.0.1:1");
        configAdmin.getConfiguration("edgeshare.platform.policy", "?").update(d);
        configAdmin.getConfiguration("edgeshare.platform.session", "?").update(d); // the node's broker session
        ServiceTracker<Servlet, Servlet> servlets = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=jakarta.servlet.Servlet)"
                        + "(osgi.http.whiteboard.servlet.name=edgeshare-policy-api))"), null);
        servlets.open();
        assertNotNull("the policy servlet is registered", servlets.waitForService(20_000));
        // the whiteboard has seen it (and found no context for it) once a servlet registered after it is served
        Dictionary<String, Object> marker = new Hashtable<>();
        marker.put("osgi.http.whiteboard.servlet.pattern", "/marker");
        context.registerService(Servlet.class, new jakarta.servlet.http.HttpServlet() {
            private static final long serialVersionUID = 1L;
        }, marker);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (RawHttp.send(httpPort(context), "GET", "/marker", Map.of(), null).status() == 404
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        assertEquals(404, RawHttp.send(httpPort(context), "GET", "/api/policy-key", Map.of(), null).status());
        assertEquals(404, RawHttp.send(httpPort(context), "POST", "/api/policies",
                Map.of("Content-Type", "application/json"), "{}").status());
        assertEquals(404, RawHttp.send(httpPort(context), "GET", "/api/policies", Map.of(), null).status());
    }
}
