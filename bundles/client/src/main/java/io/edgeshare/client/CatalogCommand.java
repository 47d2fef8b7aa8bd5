package io.edgeshare.client;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ls} and {@code search}: a sharer's catalog, all of it or what matches. */
final class CatalogCommand {
    private CatalogCommand() {
    }

    static List<CatalogEntry> catalog(GatewayHttp http, String base) throws ClientException {
        JsonObject body = http.getJson(base + "/api/catalog");
        List<CatalogEntry> items = new ArrayList<>();
        if (body.has("items") && body.get("items").isJsonArray()) {
            for (JsonElement e : body.getAsJsonArray("items")) {
                items.add(CatalogEntry.from(e.getAsJsonObject()));
            }
        }
        return items;
    }

    static int print(PrintWriter out, List<CatalogEntry> items, boolean idsOnly) {
        for (CatalogEntry i : items) {
            out.println(idsOnly ? i.id() : String.format(Locale.ROOT, "%-34s %9s  %-8s %s", i.id(),
                    Progress.size(i.size()), i.category(), i.title()));
        }
        return ExitCode.OK;
    }

    @Command(name = "ls", description = "List what a sharer shares: id, size, category, title.")
    static final class Listing implements Callable<Integer> {
        @ParentCommand
        Main common;
        @Spec
        CommandSpec spec;
        @Option(names = "--sharer", paramLabel = "URL", description = "Another sharer than the gateway")
        String sharer;
        @Option(names = "--category", description = "Only this category")
        String category;
        @Option(names = "-q", description = "Ids only")
        boolean idsOnly;

        @Override
        public Integer call() throws ClientException {
            String base = sharer == null ? common.gateway() : Discovery.trim(sharer);
            List<CatalogEntry> items = catalog(common.http(), base).stream()
                    .filter(i -> i.matches(List.of(), category)).toList();
            return print(spec.commandLine().getOut(), items, idsOnly);
        }
    }

    @Command(name = "search", description = "Items whose title, type or category holds every word given "
            + "(case and accents ignored). Exit 3 when nothing matches.")
    static final class Search implements Callable<Integer> {
        @ParentCommand
        Main common;
        @Spec
        CommandSpec spec;
        @Option(names = "--sharer", paramLabel = "URL", description = "Another sharer than the gateway")
        String sharer;
        @Option(names = "--category", description = "Only this category")
        String category;
        @Option(names = "-q", description = "Ids only")
        boolean idsOnly;
        @Parameters(paramLabel = "WORD", arity = "1..*")
        List<String> words;

        @Override
        public Integer call() throws ClientException {
            String base = sharer == null ? common.gateway() : Discovery.trim(sharer);
            List<CatalogEntry> items = catalog(common.http(), base).stream()
                    .filter(i -> i.matches(words, category)).toList();
            print(spec.commandLine().getOut(), items, idsOnly);
            return items.isEmpty() ? ExitCode.NOT_FOUND : ExitCode.OK;
        }
    }
}
