package dev.mlops.cli;

import dev.mlops.json.Json;
import dev.mlops.registry.DownloadResult;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download a version's files, verifying each SHA-256 before the file appears.")
final class DownloadCommand implements Callable<Integer> {
    private final Context context;
    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Parameters(paramLabel = "MODEL", description = "NAME (latest live version), NAME:VERSION or NAME@ALIAS")
    String ref;
    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Target folder (default: ./NAME-VERSION)")
    Path output;
    @Option(names = "--json", description = "JSON output (schema mlops.download/v1)")
    boolean json;

    DownloadCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ModelRef parsed = ModelRef.parse(ref);
        try (ModelRegistry registry = this.registry.open(context)) {
            int version = registry.get(parsed).version();
            Path target = context.workingDir().resolve(output != null ? output : Path.of(parsed.model() + "-" + version));
            DownloadResult result = registry.download(new ModelRef(parsed.model(), version, null), target, new Progress(context.err(), "download"));
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("schema", "mlops.download/v1");
                doc.put("ref", result.version().ref());
                doc.put("directory", result.directory().toString());
                doc.put("files", result.version().files());
                doc.put("verified", true);
                context.out().println(Json.toString(doc));
            } else {
                context.out().printf("Downloaded %s to %s (%d file%s, SHA-256 verified)%n", result.version().ref(), result.directory(),
                        result.files().size(), result.files().size() == 1 ? "" : "s");
            }
        }
        return 0;
    }
}
