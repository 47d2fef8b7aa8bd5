package io.edgeshare.client;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code listen CHANNEL}: joins a live channel and writes its MP3 stream to stdout or a file. */
@Command(name = "listen", description = { "Join a live audio channel and write its MP3 stream to stdout (pipe it "
        + "into any player: ... | mpv -) or to a file. Waits while the owner approves." })
final class ListenCommand implements Callable<Integer> {
    @ParentCommand
    Main common;

    @Parameters(paramLabel = "CHANNEL", defaultValue = "main", arity = "0..1", description = "Channel id "
            + "(default: ${DEFAULT-VALUE})")
    String channel;

    @Option(names = { "-o", "--output" }, paramLabel = "FILE", description = "Write to this file instead of stdout")
    Path output;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "0", description = "Stop after N seconds "
            + "(0: until interrupted)")
    long seconds;

    @Option(names = "--approval-wait", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for the owner's approval (default: ${DEFAULT-VALUE})")
    long approvalWait;

    @Option(names = "--name", defaultValue = "edgeshare client", description = "How the owner sees you")
    String name;

    @Override
    public Integer call() throws ClientException {
        if (!channel.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new ClientException(ExitCode.USAGE, "not a channel id: " + channel);
        }
        GatewayHttp http = common.http();
        String api = common.gateway() + "/api/audio/" + URLEncoder.encode(channel, StandardCharsets.UTF_8);
        JsonObject body = new JsonObject();
        body.addProperty("name", name);
        JsonObject join = http.postJson(api + "/join", body);
        long deadline = System.nanoTime() + approvalWait * 1_000_000_000L;
        while (!"approved".equals(Discovery.text(join, "state"))) {
            String state = Discovery.text(join, "state");
            if (!"pending".equals(state)) {
                throw new ClientException(ExitCode.REFUSED, "not let in to " + channel + " (" + state + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new ClientException(ExitCode.REFUSED, "the owner did not approve within " + approvalWait + " s");
            }
            System.err.println("waiting for the owner of " + channel + " to let you in...");
            pause(2000);
            join = http.getJson(api + "/join/" + URLEncoder.encode(Discovery.text(join, "id"),
                    StandardCharsets.UTF_8));
        }
        String stream = Discovery.text(join, "streamUrl");
        String url = stream.startsWith("/") ? common.gateway() + stream : stream;
        HttpResponse<InputStream> r = http.stream(HttpRequest.newBuilder(GatewayHttp.uri(url)).GET().build());
        if (r.statusCode() != 200) {
            close(r);
            throw new ClientException(GatewayHttp.exitFor(r.statusCode()), url + ": HTTP " + r.statusCode());
        }
        return copy(r, url);
    }

    private int copy(HttpResponse<InputStream> r, String url) throws ClientException {
        long end = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
        try (InputStream in = r.body(); OutputStream out = output == null ? new FileOutputStream(FileDescriptor.out)
                : Files.newOutputStream(output)) {
            byte[] buf = new byte[8192];
            for (int n; System.nanoTime() < end && (n = in.read(buf)) > 0;) {
                try {
                    out.write(buf, 0, n);
                    out.flush();
                } catch (IOException closedByReader) {
                    return ExitCode.OK; // the player at the other end of the pipe quit
                }
            }
            if (System.nanoTime() >= end) {
                return ExitCode.OK;
            }
        } catch (IOException e) {
            throw new ClientException(ExitCode.UNREACHABLE, url + ": stream broken (" + e.getClass().getSimpleName()
                    + ")");
        }
        throw new ClientException(ExitCode.UNREACHABLE, url + ": the gateway ended the stream");
    }

    private static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException e) {
            // nothing more to read anyway
        }
    }

    static void pause(long ms) throws ClientException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ExitCode.FAILED, "interrupted");
        }
    }
}
