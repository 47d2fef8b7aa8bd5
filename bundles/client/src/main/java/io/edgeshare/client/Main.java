package io.edgeshare.client;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code edgeshare client ...}: the terminal of someone near a gateway. */
@Command(name = "edgeshare client", mixinStandardHelpOptions = true, version = "edgeshare client 0.1.0",
        description = "Find sharers nearby, list and search what they share, download verified, listen, request.",
        subcommands = { DiscoverCommand.class, CatalogCommand.Listing.class, CatalogCommand.Search.class,
            GetCommand.class, ListenCommand.class, RequestCommand.class },
        footer = { "", "Exit codes: 0 ok, 1 failed, 2 usage, 3 not found, 4 unreachable, 5 corrupt (every copy "
                + "failed SHA-256), 6 refused." })
public final class Main {

    // both options may come before or after the command: "client -g URL ls" and "client ls -g URL"
    @Option(names = { "-g", "--gateway" }, paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The gateway to ask (default: $EDGESHARE_GATEWAY or ${DEFAULT-VALUE})",
            defaultValue = "${env:EDGESHARE_GATEWAY:-http://127.0.0.1:8081}")
    String gateway;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", scope = ScopeType.INHERIT,
            description = "Connect and answer timeout (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    GatewayHttp http() {
        return new GatewayHttp(Duration.ofSeconds(Math.max(1, timeoutSeconds)));
    }

    String gateway() {
        return Discovery.trim(gateway);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ClientException c) {
                err.println("edgeshare client: " + c.getMessage());
                return c.exitCode();
            }
            err.println("edgeshare client: unexpected " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return ExitCode.FAILED;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("edgeshare client: " + e.getMessage() + " (see --help)");
            return ExitCode.USAGE;
        });
        if (args.length == 0) {
            cli.usage(err);
            return ExitCode.USAGE;
        }
        return cli.execute(args);
    }
}
