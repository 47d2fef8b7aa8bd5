package io.edgeshare.client;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code request "song"}: queues a track on a channel and follows its state. */
@Command(name = "request", description = { "Ask a channel to play a song (title, artist or file name) and follow "
        + "the request: searching, queued (position), playing, played. Exit 3 when nothing matches." })
final class RequestCommand implements Callable<Integer> {
    private static final Set<String> SETTLED = Set.of("queued", "playing", "played", "failed");
    private static final Set<String> FINAL = Set.of("played", "failed");

    @ParentCommand
    Main common;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SONG", arity = "1..*", description = "What to play")
    List<String> words;

    @Option(names = { "-c", "--channel" }, defaultValue = "main", description = "Channel id (default: "
            + "${DEFAULT-VALUE})")
    String channel;

    @Option(names = "--follow", description = "Follow until the song has played (default: until it is queued)")
    boolean follow;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60", description = "Stop following after "
            + "this long (default: ${DEFAULT-VALUE})")
    long waitSeconds;

    @Override
    public Integer call() throws ClientException {
        if (!channel.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new ClientException(ExitCode.USAGE, "not a channel id: " + channel);
        }
        GatewayHttp http = common.http();
        String api = common.gateway() + "/api/audio/" + URLEncoder.encode(channel, StandardCharsets.UTF_8);
        JsonObject body = new JsonObject();
        body.addProperty("query", String.join(" ", words));
        JsonObject r = http.postJson(api + "/queue", body);
        String id = Discovery.text(r, "id");
        PrintWriter out = spec.commandLine().getOut();
        String shown = "";
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        while (true) {
            String line = describe(r);
            if (!line.equals(shown)) {
                out.println(line);
                shown = line;
            }
            String state = Discovery.text(r, "state");
            if ("failed".equals(state)) {
                String detail = Discovery.text(r, "detail");
                throw new ClientException(ExitCode.NOT_FOUND, "request failed" + (detail.isEmpty() ? "" : ": " + detail));
            }
            if (follow ? FINAL.contains(state) : SETTLED.contains(state)) {
                return ExitCode.OK;
            }
            if (System.nanoTime() > deadline) {
                out.println("still " + state + " after " + waitSeconds + " s; request id " + id);
                return ExitCode.OK;
            }
            ListenCommand.pause(1000);
            r = http.getJson(api + "/queue/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        }
    }

    static String describe(JsonObject r) {
        String state = Discovery.text(r, "state");
        String title = Discovery.text(r, "title");
        return switch (state) {
            case "queued" -> "queued at position " + Discovery.text(r, "position") + ": " + title;
            case "playing" -> "playing: " + title;
            case "played" -> "played: " + title;
            case "searching" -> "searching for \"" + Discovery.text(r, "query") + "\"...";
            default -> state + (title.isEmpty() ? "" : ": " + title);
        };
    }
}
