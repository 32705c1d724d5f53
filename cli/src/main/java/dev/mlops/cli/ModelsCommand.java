package dev.mlops.cli;

import dev.mlops.json.Json;
import dev.mlops.registry.AliasPointer;
import dev.mlops.registry.MetricFilter;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.RegisteredModel;
import dev.mlops.registry.VersionDocument;
import dev.mlops.registry.VersionQuery;
import dev.mlops.registry.VersionView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "models", mixinStandardHelpOptions = true, description = "List, search and show registered models.",
        subcommands = {ModelsCommand.List_.class, ModelsCommand.Search.class, ModelsCommand.Show.class})
final class ModelsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List models with their latest version and aliases.")
    static final class List_ implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Option(names = "--name", paramLabel = "GLOB", description = "Only models whose name matches, e.g. 'churn-*'")
        String name;
        @Option(names = "--json", description = "JSON output (schema mlops.models/v1)")
        boolean json;

        List_(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (ModelRegistry registry = this.registry.open(context)) {
                List<Map<String, Object>> models = new ArrayList<>();
                for (RegisteredModel model : registry.models()) {
                    if (name != null && !model.name().matches(name.replace(".", "\\.").replace("*", ".*").replace("?", "."))) {
                        continue;
                    }
                    List<VersionView> versions = registry.versions(model.name());
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", model.name());
                    row.put("versions", versions.size());
                    row.put("latest", versions.isEmpty() ? null : versions.get(versions.size() - 1).version().version());
                    Map<String, Integer> aliases = new LinkedHashMap<>();
                    model.aliases().forEach((alias, pointer) -> aliases.put(alias, pointer.version()));
                    row.put("aliases", aliases);
                    row.put("archived", model.archived());
                    row.put("createdAt", model.createdAt().toString());
                    models.add(row);
                }
                if (json) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("schema", "mlops.models/v1");
                    doc.put("registry", registry.location());
                    doc.put("models", models);
                    context.out().println(Json.toString(doc));
                } else if (models.isEmpty()) {
                    context.out().println("No models in " + registry.location() + ". Register one with `mlops register --model NAME --path FILE`.");
                } else {
                    List<List<String>> rows = new ArrayList<>();
                    for (Map<String, Object> m : models) {
                        rows.add(List.of(String.valueOf(m.get("name")), String.valueOf(m.get("versions")), String.valueOf(m.get("latest")),
                                Render.join((Map<String, ?>) m.get("aliases"))));
                    }
                    Tables.print(context.out(), List.of("MODEL", "VERSIONS", "LATEST", "ALIASES"), rows);
                }
            }
            return 0;
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true,
            description = "Find versions by model name, tag, alias and metric conditions (all must hold).")
    static final class Search implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Option(names = "--name", paramLabel = "GLOB")
        String name;
        @Option(names = "--tag", paramLabel = "KEY=VALUE")
        List<String> tags;
        @Option(names = "--alias")
        String alias;
        @Option(names = "--metric", paramLabel = "COND", description = "e.g. 'accuracy>=0.9'; repeatable")
        List<String> metrics = new ArrayList<>();
        @Option(names = "--all", description = "Include archived versions")
        boolean includeArchived;
        @Option(names = "--json", description = "JSON output (schema mlops.versions/v1)")
        boolean json;

        Search(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            VersionQuery query = new VersionQuery(name, KeyValues.parse("--tag", tags), alias,
                    metrics.stream().map(MetricFilter::parse).toList(), includeArchived);
            try (ModelRegistry registry = this.registry.open(context)) {
                List<VersionView> found = registry.search(query);
                if (json) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("schema", "mlops.versions/v1");
                    doc.put("versions", found.stream().map(v -> VersionDocument.of(v, registry.location())).toList());
                    context.out().println(Json.toString(doc));
                } else {
                    versionTable(context, found);
                }
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a model (all versions, aliases, alias history) or one version (NAME:VERSION or NAME@ALIAS) with its lineage.")
    static final class Show implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Parameters(paramLabel = "MODEL", description = "NAME, NAME:VERSION or NAME@ALIAS")
        String ref;
        @Option(names = "--json", description = "JSON output (schema mlops.model/v1, or " + VersionDocument.SCHEMA + " for one version)")
        boolean json;

        Show(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            ModelRef parsed = ModelRef.parse(ref);
            try (ModelRegistry registry = this.registry.open(context)) {
                if (parsed.version() != null || parsed.alias() != null) {
                    ModelVersion version = registry.get(parsed);
                    RegisteredModel model = registry.model(parsed.model());
                    Map<String, Object> doc = VersionDocument.of(new VersionView(version, model.aliasesOf(version.version()),
                            model.isArchived(version.version())), registry.location());
                    if (json) {
                        context.out().println(Json.toString(doc));
                    } else {
                        Render.versionDocument(context.out(), doc);
                    }
                    return 0;
                }
                RegisteredModel model = registry.model(parsed.model());
                List<VersionView> versions = registry.versions(parsed.model());
                if (json) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("schema", "mlops.model/v1");
                    doc.put("name", model.name());
                    doc.put("createdAt", model.createdAt().toString());
                    doc.put("createdBy", model.createdBy());
                    doc.put("aliases", model.aliases());
                    doc.put("aliasHistory", model.aliasHistory());
                    doc.put("archived", model.archived());
                    doc.put("versions", versions.stream().map(v -> VersionDocument.of(v, registry.location())).toList());
                    doc.put("registry", registry.location());
                    context.out().println(Json.toString(doc));
                    return 0;
                }
                context.out().printf("%s in %s (created %s by %s)%n", model.name(), registry.location(), model.createdAt(), model.createdBy());
                for (Map.Entry<String, AliasPointer> alias : model.aliases().entrySet()) {
                    context.out().printf("  @%s -> %d  (set %s by %s%s)%n", alias.getKey(), alias.getValue().version(), alias.getValue().setAt(),
                            alias.getValue().setBy(), alias.getValue().reason() != null ? ": " + alias.getValue().reason() : "");
                }
                context.out().println();
                versionTable(context, versions);
                if (!model.aliasHistory().isEmpty()) {
                    context.out().println();
                    context.out().println("Alias history:");
                    model.aliasHistory().forEach(c -> context.out().printf("  %s  @%s %s -> %s  by %s%s%n", c.at(), c.alias(),
                            c.fromVersion() == null ? "(none)" : c.fromVersion(), c.toVersion() == null ? "(deleted)" : c.toVersion(), c.by(),
                            c.reason() != null ? ": " + c.reason() : ""));
                }
            }
            return 0;
        }
    }

    static void versionTable(Context context, List<VersionView> versions) {
        if (versions.isEmpty()) {
            context.out().println("No matching versions.");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (VersionView view : versions) {
            ModelVersion v = view.version();
            String git = v.lineage() != null && v.lineage().git() != null && v.lineage().git().commit() != null
                    ? v.lineage().git().commit().substring(0, Math.min(10, v.lineage().git().commit().length())) : "-";
            rows.add(List.of(v.ref(), String.join(",", view.aliases()) + (view.archived() ? " [archived]" : ""),
                    v.createdAt().toString(), v.createdBy(), git, Render.join(v.metrics())));
        }
        Tables.print(context.out(), List.of("VERSION", "ALIASES", "CREATED", "BY", "GIT", "METRICS"), rows);
    }
}
