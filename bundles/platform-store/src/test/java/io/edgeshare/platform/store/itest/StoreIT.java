package io.edgeshare.platform.store.itest;

import static io.edgeshare.testsupport.EdgeShareOptions.assertAllBundlesActive;
import static io.edgeshare.testsupport.EdgeShareOptions.bundleUnderTest;
import static io.edgeshare.testsupport.EdgeShareOptions.core;
import static io.edgeshare.testsupport.EdgeShareOptions.ourBundle;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

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
import org.postgresql.ds.PGSimpleDataSource;

import io.edgeshare.api.ap.GeoLocation;
import io.edgeshare.api.fleet.FleetStore;
import io.edgeshare.api.fleet.FleetStoreException;
import io.edgeshare.api.fleet.GatewayBirth;
import io.edgeshare.platform.store.internal.LocalPostgres;

/**
 * The store bundle in Felix with the real H2 and PostgreSQL driver bundles: with no configuration it keeps the
 * fleet in {edgeshare.instance.dir}/data/fleet; configured with a PostgreSQL URL it uses that database.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StoreIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private FleetStore store;

    @Configuration
    public Option[] config() throws Exception {
        Path instance = Files.createTempDirectory("edgeshare-store-it");
        String pgUrl = "";
        Optional<Path> bin = LocalPostgres.binaries();
        if (bin.isPresent()) {
            LocalPostgres pg = LocalPostgres.start(bin.get());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (Exception e) {
                    // the temporary cluster dies with its directory anyway
                }
            }));
            pgUrl = pg.createDatabase();
        } else {
            System.err.println("PostgreSQL binaries (initdb, pg_ctl) not installed: the PostgreSQL IT is skipped");
        }
        return options(core(), ourBundle("api"),
                mavenBundle("org.osgi", "org.osgi.service.jdbc", System.getProperty("edgeshare.osgi.jdbc.version")),
                mavenBundle("com.h2database", "h2", System.getProperty("edgeshare.h2.version")),
                mavenBundle("org.postgresql", "postgresql", System.getProperty("edgeshare.postgresql.version")),
                bundleUnderTest(), systemProperty("edgeshare.instance.dir").value(instance.toString()),
                systemProperty("edgeshare.test.pg.url").value(pgUrl));
    }

    private static GatewayBirth birth(String id) {
        return new GatewayBirth(id, 1, Instant.now(), "m", "home-gateway", "f", new GeoLocation(48.86, 2.33),
                "http://10.0.0.1:8081/", List.of());
    }

    @Test
    public void theEmbeddedDatabaseKeepsTheFleetInTheInstanceDirectory() throws Exception {
        assertAllBundlesActive(context);
        assertTrue(store.birth(birth("gw-osgi")));
        assertTrue(store.gateway("gw-osgi").orElseThrow().online());
        Path file = Path.of(context.getProperty("edgeshare.instance.dir"), "data", "fleet.mv.db");
        assertTrue("database file " + file, Files.isRegularFile(file));
    }

    @Test
    public void aPostgresqlUrlInTheConfigurationIsUsed() throws Exception {
        String url = context.getProperty("edgeshare.test.pg.url");
        assumeTrue("no PostgreSQL cluster for this run", url != null && !url.isEmpty());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("url", url);
        props.put("username", LocalPostgres.USER);
        props.put("password", LocalPostgres.PASSWORD);
        configAdmin.getConfiguration("edgeshare.platform.store", "?").update(props);
        ServiceTracker<FleetStore, FleetStore> tracker = new ServiceTracker<>(context, FleetStore.class, null);
        tracker.open();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                FleetStore s = tracker.waitForService(1000);
                try {
                    if (s != null && s.birth(birth("gw-on-postgres"))) {
                        break;
                    }
                } catch (FleetStoreException | IllegalStateException e) {
                    // the component is being replaced with the new configuration
                }
                assertTrue("the store never worked on PostgreSQL", System.nanoTime() < deadline);
            }
            PGSimpleDataSource direct = new PGSimpleDataSource();
            direct.setURL(url);
            try (Connection c = direct.getConnection(LocalPostgres.USER, LocalPostgres.PASSWORD);
                    PreparedStatement q = c.prepareStatement("SELECT profile FROM gateways WHERE device_id = ?")) {
                q.setString(1, "gw-on-postgres");
                try (ResultSet r = q.executeQuery()) {
                    assertTrue("the birth is in PostgreSQL", r.next());
                    assertEquals("home-gateway", r.getString(1));
                }
            }
        } finally {
            tracker.close();
        }
    }
}
