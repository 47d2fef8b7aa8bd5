package io.edgeshare.audio.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.api.audio.TrackRequest;
import io.edgeshare.audio.internal.library.DownloadFolder;
import io.edgeshare.audio.internal.library.HttpTrackCatalog;
import io.edgeshare.audio.internal.library.Library;
import io.edgeshare.audio.internal.library.Track;
import io.edgeshare.audio.internal.library.TrackCatalog;
import io.edgeshare.audio.internal.library.UrlPrefixes;
import io.edgeshare.support.LogText;

/**
 * A channel's on-demand requests (claims B3, B4): finds the track in the local library or, in the
 * background, in the network catalog, queues it with the sequencer and follows it until it has played.
 * The newest {@value #MAX_REMEMBERED_REQUESTS} requests are remembered for their status.
 */
final class TrackRequests {

    private static final Logger LOG = LoggerFactory.getLogger(FifoAudioChannel.class);
    private static final int MAX_REMEMBERED_REQUESTS = 500;

    private final Path dataDir;
    private final Sequencer sequencer;
    private final ChannelEngine engine;
    private final Consumer<String> warnings;
    private final Library library;
    private final ExecutorService searches;
    private final Map<String, RequestState> requests = new LinkedHashMap<>();
    private volatile Settings settings;
    private volatile TrackCatalog catalog;

    private static final class RequestState {
        final String id;
        final String query;
        volatile String title = "";
        volatile String source = "";
        volatile String state = TrackRequest.SEARCHING;
        volatile String detail = "";

        RequestState(String id, String query) {
            this.id = id;
            this.query = query;
        }
    }

    TrackRequests(Settings initial, Path dataDir, Sequencer sequencer, ChannelEngine engine,
            Consumer<String> warnings) {
        this.settings = initial;
        this.dataDir = dataDir;
        this.sequencer = sequencer;
        this.engine = engine;
        this.warnings = warnings;
        this.library = new Library(warnings);
        this.catalog = catalogFor(initial);
        this.searches = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "audio-search-" + initial.id());
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes new settings; a changed catalog URL, origin list or download quota makes a new catalog client. */
    void configure(Settings next) {
        Settings prev = settings;
        if (!Objects.equals(prev.catalogUrl(), next.catalogUrl())
                || !prev.originAllowedPrefixes().equals(next.originAllowedPrefixes())
                || prev.downloadsQuotaBytes() != next.downloadsQuotaBytes()) {
            catalog = catalogFor(next);
        }
        settings = next;
    }

    void close() {
        searches.shutdownNow();
    }

    /** Where a queued request's track came from ("local", "network"), or "" when unknown. */
    String source(String requestId) {
        synchronized (requests) {
            RequestState r = requests.get(requestId);
            return r == null ? "" : r.source;
        }
    }

    private TrackCatalog catalogFor(Settings s) {
        if (s.catalogUrl().isEmpty()) {
            return null;
        }
        return new HttpTrackCatalog(URI.create(s.catalogUrl()), UrlPrefixes.of(s.originAllowedPrefixes()),
                new DownloadFolder(dataDir.resolve("audio-downloads"), s.downloadsQuotaBytes()), warnings);
    }

    /** A listener asks for a track: searched in the library at once, in the network catalog in the background. */
    TrackRequest request(String query, String requester) {
        Settings s = settings;
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("name a track: title, artist or file name");
        }
        if (sequencer.queued() >= s.maxQueue()) {
            throw new IllegalStateException("the request queue is full (" + s.maxQueue() + ")");
        }
        RequestState r = new RequestState(UUID.randomUUID().toString().substring(0, 8), query.strip());
        remember(r);
        Optional<Track> local = library.search(r.query, libraryRoots(s));
        if (local.isPresent()) {
            DownloadFolder.pickedAgain(dataDir.resolve("audio-downloads"), local.get().file());
            queue(r, local.get(), "local");
        } else if (catalog != null) {
            TrackCatalog c = catalog;
            searches.execute(() -> fetch(r, c));
        } else {
            r.state = TrackRequest.FAILED;
            r.detail = "no track matches '" + r.query + "' in the library and no network catalog is configured";
        }
        LOG.info("audio channel {}: {} requested '{}': {}", settings.id(), LogText.clean(requester),
                LogText.clean(r.query), r.state);
        return view(r);
    }

    private void fetch(RequestState r, TrackCatalog c) {
        try {
            Optional<Track> t = c.fetch(r.query);
            if (t.isPresent()) {
                queue(r, t.get(), "network");
            } else {
                r.detail = "no track matches '" + r.query + "' in the library or the network catalog";
                r.state = TrackRequest.FAILED;
            }
        } catch (java.io.IOException | RuntimeException e) {
            r.detail = "network catalog: " + e.getMessage();
            r.state = TrackRequest.FAILED;
            warnings.accept("on-demand request '" + r.query + "' failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void queue(RequestState r, Track t, String source) {
        r.title = t.title();
        r.source = source;
        sequencer.enqueue(new PlayItem(PlayItem.Kind.REQUEST, t.file(), t.title(), r.id));
        r.state = TrackRequest.QUEUED;
    }

    private List<Path> libraryRoots(Settings s) {
        List<Path> roots = new ArrayList<>();
        if (s.playlist() != null) {
            Path pl = s.playlist();
            String n = pl.getFileName() == null ? "" : pl.getFileName().toString().toLowerCase();
            if (n.endsWith(".m3u") || n.endsWith(".m3u8")) {
                roots.addAll(new io.edgeshare.audio.internal.library.Playlist(pl, false, false, new Random(0),
                        w -> { }).files());
            } else {
                roots.add(pl);
            }
        }
        if (s.libraryDir() != null) {
            roots.add(s.libraryDir());
        }
        roots.add(dataDir.resolve("audio-downloads"));
        return roots;
    }

    private void remember(RequestState r) {
        synchronized (requests) {
            requests.put(r.id, r);
            Iterator<RequestState> it = requests.values().iterator();
            while (requests.size() > MAX_REMEMBERED_REQUESTS && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
    }

    Optional<TrackRequest> get(String requestId) {
        RequestState r;
        synchronized (requests) {
            r = requests.get(requestId);
        }
        return r == null ? Optional.empty() : Optional.of(view(r));
    }

    private TrackRequest view(RequestState r) {
        String state = r.state;
        int position = 0;
        if (state.equals(TrackRequest.QUEUED) || state.equals(TrackRequest.PLAYING)) {
            PlayItem p = engine.playing();
            position = sequencer.position(r.id);
            if (p != null && r.id.equals(p.requestId())) {
                state = TrackRequest.PLAYING;
                r.state = state;
            } else if (position == 0 && !(sequencer.current() != null && r.id.equals(sequencer.current().requestId()))) {
                state = TrackRequest.PLAYED;
                r.state = state;
            }
        }
        return new TrackRequest(r.id, r.query, r.title, r.source, state, position, r.detail);
    }

}
