package dev.mlops.cli;

import dev.mlops.config.ConfigProblem;
import dev.mlops.config.MlopsConfig;
import dev.mlops.config.MlopsConfigParser;
import dev.mlops.config.MlopsConfigParser.Validation;
import dev.mlops.json.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Check mlops.yaml (every problem at once, with its path and line) or print it normalised with defaults.",
        subcommands = {ConfigCommand.Validate.class, ConfigCommand.Show.class})
final class ConfigCommand {

    static Path file(Context context, String file) {
        return context.workingDir().resolve(file == null ? MlopsConfig.FILE : file);
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Validate FILE (default mlops.yaml). Exit 0 valid, 2 invalid; problems one per line.")
    static final class Validate implements Callable<Integer> {
        private final Context context;
        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE")
        String file;
        @Option(names = "--json", description = "One mlops.config-validation/v1 object")
        boolean json;

        Validate(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Path path = file(context, file);
            Validation v = new MlopsConfigParser().validate(path);
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("schema", "mlops.config-validation/v1");
                doc.put("file", path.toString());
                doc.put("valid", v.valid());
                doc.put("level", v.valid() ? v.config().level() : null);
                doc.put("problems", v.problems().stream().map(ConfigCommand::problemDocument).toList());
                context.out().println(Json.toString(doc));
            } else if (v.valid()) {
                MlopsConfig c = v.config();
                context.out().printf("%s is valid: model %s, configures level %d%s.%n", path, c.model(), c.level(),
                        c.claimedLevel() == null ? "" : " (claims level " + c.claimedLevel() + ")");
            } else {
                List<ConfigProblem> problems = v.problems();
                context.out().printf("%s has %d problem%s:%n", path, problems.size(), problems.size() == 1 ? "" : "s");
                problems.forEach(p -> context.out().println(p));
            }
            return v.valid() ? 0 : 2;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print FILE (default mlops.yaml) as normalised JSON (schema mlops.config/v1) with every default filled in.")
    static final class Show implements Callable<Integer> {
        private final Context context;
        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE")
        String file;

        Show(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            MlopsConfig config = MlopsConfigParser.read(file(context, file));
            context.out().println(Json.toPrettyString(config.toDocument()));
            return 0;
        }
    }

    static Map<String, Object> problemDocument(ConfigProblem p) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("path", p.path());
        doc.put("message", p.message());
        doc.put("line", p.line());
        doc.put("column", p.column());
        return doc;
    }
}
