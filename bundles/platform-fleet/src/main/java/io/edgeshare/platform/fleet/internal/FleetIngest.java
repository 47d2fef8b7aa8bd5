package io.edgeshare.platform.fleet.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.ap.GeoLocation;
import io.edgeshare.api.fleet.Catalog;
import io.edgeshare.api.fleet.CatalogItem;
import io.edgeshare.api.fleet.CatalogOutcome;
import io.edgeshare.api.fleet.CatalogUpdate;
import io.edgeshare.api.fleet.FleetStore;
import io.edgeshare.api.fleet.FleetStoreException;
import io.edgeshare.api.fleet.Gateway;
import io.edgeshare.api.fleet.GatewayBirth;
import io.edgeshare.api.fleet.GatewayPage;
import io.edgeshare.api.fleet.GatewayQuery;
import io.edgeshare.api.fleet.GatewayReport;

/**
 * What the gateways publish, queued by the MQTT thread and written to the store by one thread in batches (a fleet
 * that reconnects together is many births in one transaction); what the store accepted then updates the nearby
 * matcher. Births, deaths and catalogs go first: status reports (most of the traffic, and nothing the matcher
 * needs) wait in their own queue until those are written, so a move never waits behind a second of reports.
 * Nothing is dropped: when the database fails, the batch is retried after a pause.
 */
final class FleetIngest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetIngest.class);
    private static final int BATCH = 500;
    private static final long COUNT_EVERY_NANOS = 1_000_000_000L;

    /** One queued message or task; {@code originNanos} is when it arrived. */
    sealed interface Event permits Birth, Death, Report, CatalogChange, Task {
        long originNanos();
    }

    record Birth(GatewayBirth birth, String name, long originNanos) implements Event {
    }

    record Death(String deviceId, long seq, java.time.Instant at, long originNanos) implements Event {
    }

    record Report(GatewayReport report, long originNanos) implements Event {
    }

    record CatalogChange(CatalogUpdate update, long originNanos) implements Event {
    }

    /** Work that must run on the ingest thread, in order with messages (start-up load, reconfiguration). */
    record Task(Runnable work, long originNanos) implements Event {
    }

    private final FleetStore store;
    private final NearbyMatcher matcher;
    private final Consumer<String> askForFullCatalog;
    private final LongSupplier nanos;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>(); // all but reports, in order
    private final BlockingQueue<Event> reportQueue = new LinkedBlockingQueue<>();
    private final Semaphore work = new Semaphore(0); // one permit per submit: wakes the ingest thread
    private final AtomicLong reports = new AtomicLong();
    private volatile long gateways;
    private volatile long online;
    private long countedAt;
    private final Thread thread;
    private volatile boolean closed;

    FleetIngest(FleetStore store, NearbyMatcher matcher, Consumer<String> askForFullCatalog, LongSupplier nanos) {
        this.store = store;
        this.matcher = matcher;
        this.askForFullCatalog = askForFullCatalog;
        this.nanos = nanos;
        this.countedAt = nanos.getAsLong() - COUNT_EVERY_NANOS;
        this.thread = new Thread(this::run, "edgeshare-fleet-ingest");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void submit(Event e) {
        (e instanceof Report ? reportQueue : queue).add(e);
        work.release();
    }

    int queued() {
        return queue.size() + reportQueue.size();
    }

    long reports() {
        return reports.get();
    }

    long gateways() {
        return gateways;
    }

    long online() {
        return online;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private void run() {
        List<Event> batch = new ArrayList<>(BATCH);
        while (!closed) {
            try {
                work.tryAcquire(1, TimeUnit.SECONDS); // a quiet fleet still gets its counts refreshed
                work.drainPermits(); // whatever was submitted before this is drained below
                while (!closed) {
                    queue.drainTo(batch, BATCH);
                    if (batch.isEmpty()) {
                        reportQueue.drainTo(batch, BATCH);
                    }
                    if (batch.isEmpty()) {
                        break;
                    }
                    applyWithRetry(batch);
                    batch.clear();
                    refreshCounts();
                }
                refreshCounts();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("edgeshare.platform.fleet: ingest batch failed, skipped: {}", e.toString());
                batch.clear();
            }
        }
    }

    private void applyWithRetry(List<Event> batch) throws InterruptedException {
        long pause = 200;
        int done = 0;
        while (!closed) {
            try {
                while (done < batch.size()) {
                    done += applyRun(batch, done);
                }
                return;
            } catch (FleetStoreException e) {
                LOG.warn("edgeshare.platform.fleet: store unavailable, keeping {} messages: {}", batch.size() - done,
                        e.getMessage());
                Thread.sleep(pause); // a back-off between retries of an unavailable database, not a test wait
                pause = Math.min(pause * 2, 5_000);
            }
        }
    }

    /** Applies the run of same-kind events starting at {@code from}; returns how many it applied. */
    private int applyRun(List<Event> batch, int from) {
        Event first = batch.get(from);
        if (first instanceof Birth) {
            List<Birth> run = new ArrayList<>();
            for (int i = from; i < batch.size() && batch.get(i) instanceof Birth b; i++) {
                run.add(b);
            }
            List<Boolean> accepted = store.births(run.stream().map(Birth::birth).toList());
            for (int i = 0; i < run.size(); i++) {
                if (accepted.get(i)) {
                    GatewayBirth b = run.get(i).birth();
                    GeoLocation l = b.location();
                    matcher.online(b.deviceId(), l == null ? null : new double[] { l.latitude(), l.longitude() },
                            b.portalUrl(), run.get(i).name(), run.get(i).originNanos());
                }
            }
            return run.size();
        }
        if (first instanceof Report) {
            List<Report> run = new ArrayList<>();
            for (int i = from; i < batch.size() && batch.get(i) instanceof Report r; i++) {
                run.add(r);
            }
            store.reports(run.stream().map(Report::report).toList());
            reports.addAndGet(run.size());
            return run.size();
        }
        if (first instanceof Death d) {
            if (store.death(d.deviceId(), d.seq(), d.at())) {
                matcher.offline(d.deviceId(), d.originNanos());
            }
        } else if (first instanceof CatalogChange c) {
            catalog(c);
        } else if (first instanceof Task t) {
            t.work().run();
        }
        return 1;
    }

    private void catalog(CatalogChange c) {
        String id = c.update().deviceId();
        CatalogOutcome outcome = store.putCatalog(c.update());
        if (outcome == CatalogOutcome.NEEDS_FULL) {
            askForFullCatalog.accept(id);
        } else if (outcome == CatalogOutcome.APPLIED) {
            List<CatalogItem> items = c.update().full() ? c.update().upserted()
                    : store.catalog(id).map(Catalog::items).orElse(List.of());
            matcher.catalog(id, items.stream().map(CatalogItem::id).toList(), c.originNanos());
        }
    }

    /** At start: the online gateways and their catalogs from the store; those without a catalog are asked. */
    void loadFromStore() {
        GatewayQuery q = new GatewayQuery(GatewayQuery.Status.ONLINE, null, null, null, null, 1000);
        int loaded = 0;
        while (true) {
            GatewayPage page = store.gateways(q);
            for (Gateway g : page.gateways()) {
                List<String> ids = store.catalog(g.deviceId()).map(cat -> cat.items().stream()
                        .map(CatalogItem::id).toList()).orElse(List.of());
                if (g.location() != null) {
                    matcher.load(g.deviceId(), g.location().latitude(), g.location().longitude(), g.portalUrl(),
                            ids);
                    loaded++;
                }
                if (g.catalogRev() < 0) {
                    askForFullCatalog.accept(g.deviceId());
                }
            }
            if (page.nextAfter() == null) {
                break;
            }
            q = q.next(page.nextAfter());
        }
        matcher.recomputeAll(nanos.getAsLong());
        LOG.info("edgeshare.platform.fleet: {} online gateways with a location loaded from the store", loaded);
    }

    /** The fleet's size for telemetry, at most once a second (a snapshot must not query the database). */
    private void refreshCounts() {
        long now = nanos.getAsLong();
        if (now - countedAt < COUNT_EVERY_NANOS) {
            return;
        }
        countedAt = now;
        try {
            gateways = store.gateways(GatewayQuery.firstPage(1)).total();
            online = store.gateways(new GatewayQuery(GatewayQuery.Status.ONLINE, null, null, null, null, 1)).total();
        } catch (FleetStoreException e) {
            LOG.debug("edgeshare.platform.fleet: fleet size not counted: {}", e.getMessage());
        }
    }
}
