package io.edgeshare.platform.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.fleet.Catalog;
import io.edgeshare.api.fleet.CatalogOutcome;
import io.edgeshare.api.fleet.CatalogUpdate;
import io.edgeshare.api.fleet.FleetChange;
import io.edgeshare.api.fleet.FleetStore;
import io.edgeshare.api.fleet.FleetWrite;
import io.edgeshare.api.fleet.FleetStoreException;
import io.edgeshare.api.fleet.Gateway;
import io.edgeshare.api.fleet.GatewayBirth;
import io.edgeshare.api.fleet.GatewayPage;
import io.edgeshare.api.fleet.GatewayQuery;
import io.edgeshare.api.fleet.GatewayReport;
import io.edgeshare.api.fleet.Rollout;
import io.edgeshare.api.fleet.RolloutOutcome;
import io.edgeshare.api.fleet.RolloutPlan;
import io.edgeshare.api.fleet.RolloutProgress;
import io.edgeshare.api.fleet.RolloutStore;
import io.edgeshare.api.fleet.StoredPolicy;
import io.edgeshare.support.InstanceData;

/**
 * The fleet store on JDBC: the same SQL for the embedded H2 file and PostgreSQL. Activation only opens a
 * lazy pool and starts the schema migration on its own thread (PostgreSQL may be across the network); calls
 * wait for the migration, up to a bound, then fail with {@link FleetStoreException}.
 */
@Component(configurationPid = "edgeshare.platform.store", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = { FleetStore.class, RolloutStore.class })
@Designate(ocd = StoreConfig.class)
public final class JdbcFleetStore implements FleetStore, RolloutStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcFleetStore.class);
    private static final long READY_WAIT_MS = 30_000;

    private final Database db;
    private static final long RETRY_AFTER_MS = 5_000;

    private volatile CompletableFuture<Integer> migrated;
    private long lastAttemptNanos; // guarded by this
    private final ReportHistory history;
    private final PresenceWrites presence;
    private final CatalogWrites catalogs;
    private final FleetQueries queries;
    private final RolloutTables rollouts;
    private final RolloutPlans plans;

    @Activate
    public JdbcFleetStore(StoreConfig config, BundleContext context) {
        this(Database.open(url(config, context), config.username(), config.password(), config.pool_size()),
                config.report_history_max(), java.time.Duration.ofHours(config.report_history_hours()));
        LOG.info("edgeshare.platform.store: {} database, pool of {}", db.kind(), config.pool_size());
    }

    JdbcFleetStore(Database db) {
        this(db, 100, java.time.Duration.ofHours(24));
    }

    JdbcFleetStore(Database db, int historyMax, java.time.Duration historyAge) {
        this.db = db;
        this.history = new ReportHistory(db, historyMax, historyAge);
        this.presence = new PresenceWrites(db, history);
        this.catalogs = new CatalogWrites(db);
        this.queries = new FleetQueries(db);
        this.rollouts = new RolloutTables(db);
        this.plans = new RolloutPlans(db);
        this.migrated = migrate();
    }

    /** Starts the migration on its own thread; a failure is logged and retried by the next call after a pause. */
    private synchronized CompletableFuture<Integer> migrate() {
        lastAttemptNanos = System.nanoTime();
        CompletableFuture<Integer> attempt = CompletableFuture.supplyAsync(
                () -> new Migrations(Clock.systemUTC()).apply(db), runnable -> {
                    Thread t = new Thread(runnable, "edgeshare-store-migrate");
                    t.setDaemon(true);
                    t.start();
                });
        attempt.whenComplete((v, e) -> {
            if (e != null && !(e instanceof java.util.concurrent.CancellationException)) {
                LOG.warn("edgeshare.platform.store: database not ready, will retry: {}", e.getMessage());
            }
        });
        return attempt;
    }

    /** The database may come up after the platform (PostgreSQL restarted): try again, at most every 5 s. */
    private synchronized CompletableFuture<Integer> retryIfFailed() {
        if (migrated.isCompletedExceptionally() && !migrated.isCancelled()
                && System.nanoTime() - lastAttemptNanos >= TimeUnit.MILLISECONDS.toNanos(RETRY_AFTER_MS)) {
            migrated = migrate();
        }
        return migrated;
    }

    /** Empty URL: the embedded database. WRITE_DELAY=0 writes every commit before the call returns. */
    static String url(StoreConfig config, BundleContext context) {
        if (!config.url().isBlank()) {
            return config.url().strip();
        }
        Path dir = InstanceData.instanceDir(context) != null ? InstanceData.resolve(context, "")
                : context.getDataFile("data").toPath();
        return embeddedUrl(dir.resolve("fleet"));
    }

    static String embeddedUrl(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0";
    }

    @Deactivate
    public void close() {
        migrated.cancel(false);
        db.close();
    }

    /** The schema version once migrated. */
    int awaitReady() {
        try {
            CompletableFuture<Integer> m = migrated;
            if (m.isCompletedExceptionally()) {
                m = retryIfFailed();
            }
            return m.get(READY_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetStoreException("interrupted while the schema was migrating", e);
        } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
            throw new FleetStoreException("the fleet database is not ready", e);
        }
    }

    @Override
    public boolean birth(GatewayBirth birth) {
        awaitReady();
        return presence.birth(birth);
    }

    @Override
    public List<Boolean> births(List<GatewayBirth> births) {
        awaitReady();
        return presence.births(births);
    }

    @Override
    public List<Boolean> reports(List<GatewayReport> reports) {
        awaitReady();
        return presence.reports(reports);
    }

    @Override
    public boolean death(String deviceId, long seq, Instant at) {
        awaitReady();
        return presence.death(deviceId, seq, at);
    }

    @Override
    public boolean report(String deviceId, String document, Instant at) {
        awaitReady();
        return presence.report(deviceId, document, at);
    }

    @Override
    public CatalogOutcome putCatalog(CatalogUpdate update) {
        awaitReady();
        return catalogs.put(update);
    }

    @Override
    public List<FleetWrite.Outcome> write(List<FleetWrite> writes) {
        awaitReady();
        // ids are checked first: a bad one fails the call before anything is written
        List<String> ids = new ArrayList<>(writes.size());
        for (FleetWrite w : writes) {
            ids.add(w instanceof FleetWrite.Catalog cat ? CatalogWrites.validated(cat.update())
                    : GatewayRows.deviceId(w instanceof FleetWrite.Birth b ? b.birth().deviceId()
                            : ((FleetWrite.Death) w).deviceId()));
        }
        return db.transaction("fleet writes", c -> {
            List<FleetWrite.Outcome> outcomes = new ArrayList<>(writes.size());
            for (int i = 0; i < writes.size(); i++) {
                Savepoint before = c.setSavepoint();
                FleetWrite.Outcome o = write(c, ids.get(i), writes.get(i));
                if (!o.accepted()) {
                    c.rollback(before); // nothing of a refused write stays, not even its change version
                }
                c.releaseSavepoint(before);
                outcomes.add(o);
            }
            return outcomes;
        });
    }

    private static FleetWrite.Outcome write(Connection c, String id, FleetWrite w) throws SQLException {
        if (w instanceof FleetWrite.Birth b) {
            return new FleetWrite.Outcome(PresenceWrites.birth(c, b.birth()), null);
        }
        if (w instanceof FleetWrite.Death d) {
            return new FleetWrite.Outcome(PresenceWrites.death(c, id, d.seq(), d.at()), null);
        }
        CatalogOutcome outcome = CatalogWrites.put(c, id, ((FleetWrite.Catalog) w).update());
        return new FleetWrite.Outcome(outcome == CatalogOutcome.APPLIED, outcome);
    }

    @Override
    public boolean assignGroup(String deviceId, String group) {
        awaitReady();
        return presence.assignGroup(deviceId, group);
    }

    @Override
    public boolean decommission(String deviceId, Instant at) {
        awaitReady();
        return presence.decommission(deviceId, at);
    }

    @Override
    public Optional<Gateway> gateway(String deviceId) {
        awaitReady();
        return queries.gateway(deviceId);
    }

    @Override
    public Optional<GatewayReport> lastReport(String deviceId) {
        awaitReady();
        return queries.lastReport(deviceId);
    }

    @Override
    public List<GatewayReport> reportHistory(String deviceId, Instant before, int limit) {
        awaitReady();
        return history.page(deviceId, before, limit);
    }

    @Override
    public Optional<Catalog> catalog(String deviceId) {
        awaitReady();
        return catalogs.catalog(deviceId);
    }

    @Override
    public GatewayPage gateways(GatewayQuery query) {
        awaitReady();
        return queries.page(query);
    }

    @Override
    public List<FleetChange> changesSince(long version, int limit) {
        awaitReady();
        return queries.changesSince(version, limit);
    }

    @Override
    public long version() {
        awaitReady();
        return queries.version();
    }

    @Override
    public boolean savePolicy(StoredPolicy policy) {
        awaitReady();
        return rollouts.savePolicy(policy);
    }

    @Override
    public Optional<StoredPolicy> policy(long generation) {
        awaitReady();
        return rollouts.policy(generation);
    }

    @Override
    public long latestPolicyGeneration() {
        awaitReady();
        return rollouts.latestPolicyGeneration();
    }

    @Override
    public Rollout createRollout(long generation, Rollout.Target target, int canaryPercent, Instant at) {
        awaitReady();
        return rollouts.create(generation, target, canaryPercent, at);
    }

    @Override
    public boolean updateRollout(long rolloutId, Rollout.State state, Instant at) {
        awaitReady();
        return rollouts.update(rolloutId, state, at);
    }

    @Override
    public Optional<Rollout> rollout(long rolloutId) {
        awaitReady();
        return rollouts.rollout(rolloutId);
    }

    @Override
    public List<Rollout> rollouts(int limit) {
        awaitReady();
        return rollouts.rollouts(limit);
    }

    @Override
    public boolean recordOutcome(RolloutOutcome outcome) {
        awaitReady();
        return rollouts.recordOutcome(outcome);
    }

    @Override
    public List<RolloutOutcome> outcomes(long rolloutId) {
        awaitReady();
        return rollouts.outcomes(rolloutId);
    }

    @Override
    public Rollout createRollout(long generation, Rollout.Target target, RolloutPlan plan, long restores,
            List<String> devices, Instant at) {
        awaitReady();
        return plans.create(generation, target, plan, restores, devices, at);
    }

    @Override
    public boolean updateRollout(Rollout.State state, RolloutProgress progress, Instant at) {
        awaitReady();
        return plans.update(state, progress, at);
    }

    @Override
    public Optional<RolloutProgress> progress(long rolloutId) {
        awaitReady();
        return plans.progress(rolloutId);
    }

    @Override
    public List<Rollout> rollouts(long beforeId, int limit) {
        awaitReady();
        return plans.page(beforeId, limit);
    }

    @Override
    public List<Rollout> activeRollouts() {
        awaitReady();
        return plans.active();
    }

    @Override
    public Optional<Rollout> rolloutOfGeneration(long generation) {
        awaitReady();
        return plans.ofGeneration(generation);
    }

    @Override
    public int updateOutcomes(List<RolloutOutcome> outcomes) {
        awaitReady();
        return plans.updateOutcomes(outcomes);
    }

    @Override
    public List<RolloutOutcome> outcomes(long rolloutId, RolloutOutcome.State state, String afterDevice, int limit) {
        awaitReady();
        return plans.outcomes(rolloutId, state, afterDevice, limit);
    }

    @Override
    public List<RolloutOutcome> deviceOutcomes(String deviceId, int limit) {
        awaitReady();
        return plans.outcomesOfDevice(deviceId, limit);
    }

    @Override
    public Map<RolloutOutcome.State, Long> outcomeCounts(long rolloutId) {
        awaitReady();
        return plans.counts(rolloutId);
    }
}
