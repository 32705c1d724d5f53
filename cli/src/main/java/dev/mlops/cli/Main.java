package dev.mlops.cli;

import dev.mlops.error.MlopsException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code mlops}. Exit codes: 0 ok, 1 other failure, 2 bad input, 3 not found,
 * 4 conflict (someone else changed it first; re-read and retry).
 */
@Command(name = "mlops", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "MLOps for Jenkins and any CI: register, evaluate, deploy and monitor models.",
        subcommands = {RegisterCommand.class, TrainCommand.class, EvaluateCommand.class, ServeCommand.class, ModelsCommand.class, AliasCommand.class, DownloadCommand.class,
                ArchiveCommand.class, AuditCommand.class, DemoCommand.class, BenchCommand.class, DeployCommand.class, RollbackCommand.class, WebhookCommand.class, DriftCommand.class, MonitorCommand.class, ConfigCommand.class, MaturityCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:other failure (storage unreachable, credentials rejected, damaged data)",
                "2:bad input (the message names the field and the fix)", "3:not found", "4:conflict (changed concurrently; re-read and retry)",
                "5:evaluation gate FAIL", "6:evaluation gate INCONCLUSIVE (needs a human decision)", "7:evaluation gate ERROR"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Context context = new Context(System.out, System.err, System.getenv(), Path.of("").toAbsolutePath(), Clock.systemUTC());
        System.exit(run(context, args));
    }

    public static int run(Context context, String... args) {
        CommandLine commandLine = new CommandLine(new Main(), new ContextFactory(context));
        commandLine.setOut(new java.io.PrintWriter(context.out(), true));
        commandLine.setErr(new java.io.PrintWriter(context.err(), true));
        commandLine.setExecutionExceptionHandler((exception, cmd, parsed) -> report(context.err(), exception));
        return commandLine.execute(args);
    }

    static int report(PrintStream err, Exception exception) {
        if (exception instanceof MlopsException known) {
            err.println("mlops: error: " + known.getMessage());
            return known.code().exitCode();
        }
        err.println("mlops: error: " + exception.getClass().getSimpleName() + ": " + exception.getMessage());
        return 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Gives commands the {@link Context} through their constructor. */
    private record ContextFactory(Context context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(Context.class).newInstance(context);
            } catch (NoSuchMethodException noContext) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mlops " + (version == null ? "dev" : version)};
        }
    }

    static Map<String, Object> schema(String name) {
        return Map.of("schema", name);
    }
}
