package dev.mlops.cli;

import dev.mlops.deploy.Deployment;
import dev.mlops.deploy.DeploymentTarget;
import dev.mlops.deploy.Rollback;
import dev.mlops.json.Json;
import dev.mlops.registry.AliasChange;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Move MODEL@production back to the version before it (from the alias history) or to --to, with compare-and-swap.",
                "When a local production deployment runs, it is redeployed with that version; prints the time until it answers."})
final class RollbackCommand implements Callable<Integer> {
    private final Context context;
    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Parameters(index = "0", paramLabel = "MODEL")
    String model;
    @Option(names = "--to", paramLabel = "VERSION", description = "Version to roll back to (default: the previous production version)")
    Integer to;
    @Option(names = "--reason", description = "Why, for the audit log")
    String reason;
    @Option(names = "--deployments", paramLabel = "DIR", defaultValue = ".mlops/deployments", description = "Local deployments folder (default: ${DEFAULT-VALUE})")
    Path deployments;
    @Option(names = "--health-timeout-seconds", paramLabel = "S", defaultValue = "120")
    int healthTimeout;
    @Option(names = "--target", defaultValue = DeployTargets.LOCAL, description = DeployTargets.DESCRIPTION)
    String targetKind;
    @Option(names = "--json")
    boolean json;

    RollbackCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        long started = System.nanoTime();
        try (ModelRegistry opened = registry.open(context)) {
            AliasChange change = new Rollback(opened).rollback(model, to, reason, Caller.fromEnvironment(context.env()));
            DeploymentTarget target = DeployCommand.target(context, registry, deployments, healthTimeout, targetKind);
            Optional<Deployment> running = target.find("production");
            running.ifPresent(d -> {
                target.stop(d);
                target.deploy(model, change.toVersion(), "production", d.url().getPort());
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Object> doc = new LinkedHashMap<>(AliasCommand.changeDocument(model, change));
            doc.put("schema", "mlops.rollback/v1");
            doc.put("redeployed", running.isPresent());
            doc.put("seconds", Math.round(seconds * 1000) / 1000.0);
            if (json) {
                context.out().println(Json.toPrettyString(doc));
            } else {
                context.out().printf("rolled back %s@production: %d -> %d%s in %.3f s%n", model, change.fromVersion(), change.toVersion(),
                        running.isPresent() ? ", redeployed and answering" : "", seconds);
            }
            return 0;
        }
    }
}
