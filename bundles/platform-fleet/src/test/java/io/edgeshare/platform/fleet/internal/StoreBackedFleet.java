package io.edgeshare.platform.fleet.internal;

import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.freePort;
import static io.edgeshare.testsupport.EdgeShareOptions.gson;
import static io.edgeshare.testsupport.EdgeShareOptions.http;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static io.edgeshare.testsupport.EdgeShareOptions.paho;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;

/** The platform's fleet bundle in Felix as it runs: the node session, the store (embedded H2), HTTP, Paho. */
final class StoreBackedFleet {
    private StoreBackedFleet() {
    }

    /** The operator token the platform writes into its instance at first start, once it is there (20 s at most). */
    static String operatorToken(BundleContext context) throws Exception {
        Path file = Path.of(context.getProperty("edgeshare.instance.dir"), "data", "operator.token");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.isRegularFile(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + file);
            }
            Thread.sleep(50);
        }
        return Files.readString(file).trim();
    }

    /** Pax Exam options with a fresh instance folder named after the test. */
    static Option[] options(String test) throws IOException {
        String instance = Files.createTempDirectory("edgeshare-" + test).toString();
        return org.ops4j.pax.exam.CoreOptions.options(core(), http(freePort()), gson(), paho(), ourBundle("api"),
                ourBundle("protocol"), ourBundle("platform-session"), ourBundle("platform-store"),
                mavenBundle("org.osgi", "org.osgi.service.jdbc", System.getProperty("edgeshare.osgi.jdbc.version")),
                mavenBundle("com.h2database", "h2", System.getProperty("edgeshare.h2.version")),
                mavenBundle("org.postgresql", "postgresql", System.getProperty("edgeshare.postgresql.version")),
                bundleUnderTest(),
                systemProperty("edgeshare.instance.dir").value(instance));
    }
}
