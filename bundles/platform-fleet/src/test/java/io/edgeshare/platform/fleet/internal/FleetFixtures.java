package io.edgeshare.platform.fleet.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.edgeshare.platform.store.internal.JdbcFleetStore;
import io.edgeshare.platform.store.internal.StoreConfig;

/** The real parts a fleet test runs against: an embedded H2 store in a file, typed configurations. */
final class FleetFixtures {
    private FleetFixtures() {
    }

    /** The platform's store on an H2 file under {@code dir} (the same database a restart finds again). */
    static JdbcFleetStore store(Path dir) {
        return new JdbcFleetStore(config(StoreConfig.class, Map.of("url", "jdbc:h2:file:"
                + dir.resolve("fleet").toAbsolutePath() + ";WRITE_DELAY=0")), null);
    }

    static FleetConfig fleetConfig(Map<String, Object> values) {
        return config(FleetConfig.class, values);
    }

    @SuppressWarnings("unchecked")
    static <T> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (p, m, args) -> {
            String key = m.getName().replace("_", ".");
            return values.containsKey(key) ? values.get(key) : m.getDefaultValue();
        });
    }

    static void waitUntil(BooleanSupplier condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }
}
