package io.edgeshare.testsupport;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Pax Exam options for EdgeShare's in-container tests: the infrastructure bundles the runtimes carry, in
 * the versions the build pins, plus our own freshly built bundles from the reactor.
 */
public final class EdgeShareOptions {

    private static final Properties VERSIONS = load();

    private EdgeShareOptions() {
    }

    /**
     * Logging, DS, ConfigAdmin, Metatype, JUnit and these helpers: what every EdgeShare bundle test needs.
     */
    public static Option core() {
        return composite(
                ourBundle("testsupport"),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                mavenBundle("org.ops4j.pax.logging", "pax-logging-api", v("pax-logging")).startLevel(1),
                mavenBundle("org.osgi", "org.osgi.util.function", v("osgi.function")).startLevel(1),
                mavenBundle("org.osgi", "org.osgi.util.promise", v("osgi.promise")).startLevel(1),
                mavenBundle("org.osgi", "org.osgi.service.component", v("osgi.component")).startLevel(1),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin", v("felix.configadmin")).startLevel(1),
                mavenBundle("org.apache.felix", "org.apache.felix.scr", v("felix.scr")).startLevel(1),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype", v("felix.metatype")),
                junitBundles());
    }

    /** Felix HTTP Jetty 12 (jakarta servlet whiteboard) listening on {@code port}. */
    public static Option http(int port) {
        return composite(
                systemProperty("org.osgi.service.http.port").value(Integer.toString(port)),
                systemProperty("org.apache.felix.http.host").value("127.0.0.1"),
                mavenBundle("org.apache.felix", "org.apache.felix.http.servlet-api", v("felix.http.servlet-api")),
                mavenBundle("commons-io", "commons-io", v("commons-io")),
                mavenBundle("commons-fileupload", "commons-fileupload", v("commons-fileupload")),
                mavenBundle("org.apache.felix", "org.apache.felix.http.jetty12", v("felix.http.jetty12")));
    }

    public static Option gson() {
        return mavenBundle("com.google.code.gson", "gson", v("gson"));
    }

    /** Paho MQTT v5, re-manifested by our build (bundles/paho-mqttv5) because upstream exports one package only. */
    public static Option paho() {
        return ourBundle("paho-mqttv5");
    }

    /** The ap bundle with what it needs: Event Admin (its station/AP events) and JmDNS (DNS-SD, re-manifested). */
    public static Option accessPoint() {
        return composite(mavenBundle("org.apache.felix", "org.apache.felix.eventadmin", v("felix.eventadmin")),
                ourBundle("jmdns"), ourBundle("ap"));
    }

    public static Option fileinstall() {
        return mavenBundle("org.apache.felix", "org.apache.felix.fileinstall", v("felix.fileinstall"));
    }

    /** The jar this module just built (set by Failsafe as {@code edgeshare.bundle.under.test}). */
    public static Option bundleUnderTest() {
        String jar = System.getProperty("edgeshare.bundle.under.test");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("bundle under test not built: " + jar);
        }
        return bundle(Path.of(jar).toUri().toString());
    }

    /**
     * One of our bundles from the reactor, e.g. {@code ourBundle("api")} for
     * {@code bundles/api/target/io.edgeshare.api-VERSION.jar}.
     */
    public static Option ourBundle(String module) {
        Path root = Path.of(System.getProperty("edgeshare.root", "../.."));
        String artifact = "io.edgeshare." + module.replace("platform-", "platform.").replace("-", ".");
        Path jar = root.resolve("bundles").resolve(module).resolve("target")
                .resolve(artifact + "-" + v("project.version") + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("bundle not built (run the reactor build): " + jar.toAbsolutePath());
        }
        return bundle(jar.toAbsolutePath().toUri().toString());
    }

    /** The HTTP port given to {@link #http(int)}, read inside the container. */
    public static int httpPort(BundleContext context) {
        return Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
    }

    /** A free TCP port on loopback. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fails if any installed bundle is not active (fragments: resolved). Waits a bounded time for bundles
     * still starting.
     */
    public static void assertAllBundlesActive(BundleContext context) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> bad;
        do {
            bad = new ArrayList<>();
            for (Bundle b : context.getBundles()) {
                boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
                int wanted = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
                if (b.getState() != wanted) {
                    bad.add(b.getSymbolicName() + " " + b.getVersion() + " state=" + b.getState());
                }
            }
            if (bad.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("bundles not active: " + bad);
    }

    /**
     * Waits (bounded) until a service matching the LDAP filter is registered, for instance a component that has
     * taken a configuration just updated: {@code (&(service.pid=PID)(broker.uri=...))}. A configuration update
     * re-activates a component asynchronously, so a test that goes on before the new registration races it.
     */
    public static void awaitService(BundleContext context, String filter) throws Exception {
        await(java.time.Duration.ofSeconds(20), () -> context.getServiceReferences((String) null, filter) != null,
                () -> "no service matching " + filter + " within 20 s");
    }

    /**
     * The tests' one wait: checks {@code condition} until it holds or {@code timeout} has passed, then fails with
     * {@code why}. Between checks it pauses 50 ms (the poll interval, here and nowhere else).
     */
    public static void await(java.time.Duration timeout, java.util.concurrent.Callable<Boolean> condition,
            java.util.function.Supplier<String> why) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(why.get());
            }
            Thread.sleep(50);
        }
    }

    private static String v(String key) {
        String value = VERSIONS.getProperty(key);
        if (value == null || value.startsWith("${")) {
            throw new IllegalStateException("no version for " + key);
        }
        return value;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = EdgeShareOptions.class.getResourceAsStream("/edgeshare-versions.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
