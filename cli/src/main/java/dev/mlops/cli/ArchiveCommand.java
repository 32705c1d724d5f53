package dev.mlops.cli;

import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Names;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "archive", mixinStandardHelpOptions = true,
        description = "Archive a version: it stays downloadable by number but leaves searches; refused while an alias points at it.")
final class ArchiveCommand implements Callable<Integer> {
    private final Context context;
    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Parameters(index = "0", paramLabel = "MODEL")
    String model;
    @Parameters(index = "1", paramLabel = "VERSION")
    int version;
    @Option(names = "--reason")
    String reason;

    ArchiveCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        try (ModelRegistry registry = this.registry.open(context)) {
            ModelVersion archived = registry.archive(Names.model(model), version, Caller.fromEnvironment(context.env()), reason);
            context.out().println("Archived " + archived.ref());
        }
        return 0;
    }
}
