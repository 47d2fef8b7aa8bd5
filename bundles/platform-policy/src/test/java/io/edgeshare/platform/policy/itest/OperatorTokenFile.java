package io.edgeshare.platform.policy.itest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;

/** The operator token platform-fleet generates at first start, read where an operator finds it. */
final class OperatorTokenFile {

    private OperatorTokenFile() {
    }

    /** {@code {edgeshare.instance.dir}/data/operator.token}, waiting (bounded) for platform-fleet to write it. */
    static String read(BundleContext context) throws Exception {
        Path file = Path.of(context.getProperty("edgeshare.instance.dir"), "data", "operator.token");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.isRegularFile(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("platform-fleet wrote no " + file);
            }
            Thread.sleep(50);
        }
        return Files.readString(file).trim();
    }
}
