package dev.mlops.cli;

import dev.mlops.audit.AuditEvent;
import dev.mlops.audit.AuditVerification;
import dev.mlops.json.Json;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Print the hash-chained audit log (who, when, what, why, build), or --verify the chain.")
final class AuditCommand implements Callable<Integer> {
    private final Context context;
    @Mixin
    RegistryOptions registry = new RegistryOptions();
    @Option(names = "--model", description = "Only events about this model")
    String model;
    @Option(names = "--from", description = "First sequence number (default 1)")
    long from = 1;
    @Option(names = "--limit", description = "At most this many events (default: all)")
    int limit;
    @Option(names = "--verify", description = "Check every link of the chain; exit 1 if it was tampered with")
    boolean verify;
    @Option(names = "--json", description = "JSON lines, one event per line (or one mlops.audit-verification/v1 object with --verify)")
    boolean json;

    AuditCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        try (ModelRegistry registry = this.registry.open(context)) {
            if (verify) {
                AuditVerification result = registry.audit().verify();
                if (json) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("schema", "mlops.audit-verification/v1");
                    doc.put("intact", result.intact());
                    doc.put("events", result.events());
                    doc.put("firstBadSeq", result.firstBadSeq());
                    doc.put("problem", result.problem());
                    context.out().println(Json.toString(doc));
                } else if (result.intact()) {
                    context.out().printf("Audit log intact: %d events, every hash link verified.%n", result.events());
                } else {
                    context.out().printf("Audit log TAMPERED: %s (%d events verified before it).%n", result.problem(), result.events());
                }
                return result.intact() ? 0 : 1;
            }
            List<AuditEvent> events = model == null ? registry.audit().read(from, limit)
                    : registry.audit().readFor("model/" + Names.model(model)).stream()
                    .filter(e -> e.target().equals("model/" + model) || e.target().startsWith("model/" + model + ":")
                            || e.target().startsWith("model/" + model + "@"))
                    .filter(e -> e.seq() >= from).limit(limit > 0 ? limit : Long.MAX_VALUE).toList();
            for (AuditEvent event : events) {
                if (json) {
                    context.out().println(Json.toString(event));
                } else {
                    Render.auditEvent(context.out(), event);
                }
            }
        }
        return 0;
    }
}
