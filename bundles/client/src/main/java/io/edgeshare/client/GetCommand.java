package io.edgeshare.client;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code get ITEM}: downloads an item from the best sharer holding it (nearest, then fastest to answer),
 * falling back to the next; resumable, SHA-256 verified.
 */
@Command(name = "get", description = { "Download an item from the best sharer holding it: the gateway, the "
        + "sharers nearby it lists, and --from URLs, nearest first, then the fastest to answer. Resumes an "
        + "interrupted download (OUT.part), verifies SHA-256 and tries the next sharer when a copy is bad." })
final class GetCommand implements Callable<Integer> {
    @ParentCommand
    Main common;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ITEM", description = "The item's id (see ls/search)")
    String id;

    @Option(names = { "-o", "--output" }, paramLabel = "FILE", description = "Where to save it (default: its "
            + "title, else its id, in the current directory)")
    Path output;

    @Option(names = "--from", paramLabel = "URL", description = "Another sharer to consider (repeatable)")
    List<String> from = new ArrayList<>();

    @Option(names = "--sha256", paramLabel = "HEX", description = "The SHA-256 you trust (default: the catalog's)")
    String sha256;

    @Option(names = "--limit-rate", paramLabel = "BYTES_PER_S", defaultValue = "0",
            description = "Stay under this rate (0: no limit)")
    long limitRate;

    @Option(names = "--progress", description = "Force the progress bar (default: only on a terminal)")
    boolean forceBar;

    @Override
    public Integer call() throws ClientException {
        if (!CatalogEntry.ID.matcher(id).matches()) {
            throw new ClientException(ExitCode.USAGE, "not an item id: " + id);
        }
        if (sha256 != null && !CatalogEntry.SHA256.matcher(sha256.toLowerCase(Locale.ROOT)).matches()) {
            throw new ClientException(ExitCode.USAGE, "--sha256 must be 64 hex digits");
        }
        GatewayHttp http = common.http();
        List<Downloader.Candidate> ranked = rank(http, candidates(http));
        if (ranked.isEmpty()) {
            throw new ClientException(ExitCode.NOT_FOUND, "no sharer holds item " + id);
        }
        String expected = sha256 != null ? sha256.toLowerCase(Locale.ROOT) : ranked.get(0).entry().sha256();
        Path out = output != null ? output : Path.of(fileName(ranked.get(0).entry()));
        if (Files.isDirectory(out)) {
            out = out.resolve(fileName(ranked.get(0).entry()));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        boolean terminal = forceBar || System.console() != null;
        Sharer source = new Downloader(http, System.err, terminal, limitRate).download(ranked, expected, out);
        stdout.println(out + " " + expected + " from " + source.name());
        return ExitCode.OK;
    }

    /** Everyone who may hold it: the gateway, the nearby sharers listing the id, the --from URLs. */
    private List<Sharer> candidates(GatewayHttp http) throws ClientException {
        Discovery discovery = new Discovery(http);
        Map<String, Sharer> byUrl = new LinkedHashMap<>();
        String gw = common.gateway();
        ClientException gatewayDown = null;
        try {
            byUrl.put(gw, discovery.gateway(gw));
            for (Sharer s : discovery.nearbyOf(gw)) {
                if (s.contentIds().contains(id)) {
                    byUrl.putIfAbsent(s.baseUrl(), s);
                }
            }
        } catch (ClientException e) {
            gatewayDown = e;
        }
        for (String url : from) {
            String base = Discovery.trim(url);
            GatewayHttp.uri(base);
            if (byUrl.containsKey(base)) {
                continue;
            }
            Sharer named; // its name when it tells us; its distance is unknown
            try {
                Sharer s = discovery.gateway(base);
                named = new Sharer(s.deviceId(), s.name(), base, Double.NaN, Set.of("url"), List.of(), List.of());
            } catch (ClientException e) {
                named = new Sharer("", base, base, Double.NaN, Set.of("url"), List.of(), List.of());
            }
            byUrl.put(base, named);
        }
        if (byUrl.isEmpty() && gatewayDown != null) {
            throw gatewayDown;
        }
        return new ArrayList<>(byUrl.values());
    }

    /** Asks each for its catalog entry, timing the answer; nearest first, then the fastest. */
    private List<Downloader.Candidate> rank(GatewayHttp http, List<Sharer> sharers) {
        record Timed(Downloader.Candidate candidate, long nanos) {
        }
        List<Timed> timed = new ArrayList<>();
        for (Sharer s : sharers) {
            long start = System.nanoTime();
            try {
                CatalogEntry entry = CatalogEntry.from(http.getJson(s.baseUrl() + "/api/catalog/" + id));
                timed.add(new Timed(new Downloader.Candidate(s, entry), System.nanoTime() - start));
            } catch (ClientException e) {
                System.err.println("not at " + s.name() + ": " + e.getMessage());
            }
        }
        timed.sort(Comparator.comparingDouble((Timed t) -> Double.isNaN(t.candidate().sharer().distanceM())
                ? Double.MAX_VALUE : t.candidate().sharer().distanceM()).thenComparingLong(Timed::nanos));
        return timed.stream().map(Timed::candidate).toList();
    }

    /** A safe local file name from the title: no directories, no leading dots. */
    static String fileName(CatalogEntry e) {
        String base = e.title().isBlank() ? e.id() : e.title();
        String safe = base.replaceAll("[/\\\\\\p{Cntrl}:*?\"<>|]", "_").replaceAll("^\\.+", "_").strip();
        return safe.isEmpty() || safe.length() > 200 ? e.id() : safe;
    }
}
