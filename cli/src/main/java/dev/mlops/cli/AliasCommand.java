package dev.mlops.cli;

import dev.mlops.error.InvalidInputException;
import dev.mlops.json.Json;
import dev.mlops.registry.AliasChange;
import dev.mlops.registry.AliasPointer;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.Names;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "alias", mixinStandardHelpOptions = true,
        description = "Named pointers to versions (staging, production, ...): set, get, rm. Moves are compare-and-swap with --expect.",
        subcommands = {AliasCommand.Set.class, AliasCommand.Get.class, AliasCommand.Remove.class})
final class AliasCommand {

    static Integer expected(String expect) {
        if (expect == null) {
            return null;
        }
        if (expect.equals("none")) {
            return 0;
        }
        try {
            int version = Integer.parseInt(expect);
            if (version < 1) {
                throw new NumberFormatException();
            }
            return version;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--expect: '" + expect + "' is not a version; pass the version the alias points at now, or 'none'");
        }
    }

    static Map<String, Object> changeDocument(String model, AliasChange change) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "mlops.alias-change/v1");
        doc.put("model", model);
        doc.put("alias", change.alias());
        doc.put("from", change.fromVersion());
        doc.put("to", change.toVersion());
        doc.put("at", change.at().toString());
        doc.put("by", change.by());
        doc.put("reason", change.reason());
        return doc;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Point ALIAS at VERSION (creates or moves it).")
    static final class Set implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;
        @Parameters(index = "2", paramLabel = "VERSION")
        int version;
        @Option(names = "--expect", paramLabel = "VERSION|none",
                description = "Only move if the alias points at this version now (or is unset: none); exit 4 otherwise")
        String expect;
        @Option(names = "--reason", description = "Why, for the audit log")
        String reason;
        @Option(names = "--json")
        boolean json;

        Set(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (ModelRegistry registry = this.registry.open(context)) {
                AliasChange change = registry.setAlias(Names.model(model), alias, version, expected(expect),
                        Caller.fromEnvironment(context.env()), reason);
                if (json) {
                    context.out().println(Json.toString(changeDocument(model, change)));
                } else {
                    context.out().printf("%s@%s: %s -> %d%n", model, alias, change.fromVersion() == null ? "(none)" : change.fromVersion(), version);
                }
            }
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print the version ALIAS points at.")
    static final class Get implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;
        @Option(names = "--json", description = "JSON output (schema mlops.alias/v1)")
        boolean json;

        Get(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Names.alias(alias);
            try (ModelRegistry registry = this.registry.open(context)) {
                AliasPointer pointer = registry.alias(model, alias);
                if (json) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("schema", "mlops.alias/v1");
                    doc.put("model", model);
                    doc.put("alias", alias);
                    doc.put("version", pointer.version());
                    doc.put("setAt", pointer.setAt().toString());
                    doc.put("setBy", pointer.setBy());
                    doc.put("reason", pointer.reason());
                    context.out().println(Json.toString(doc));
                } else {
                    context.out().println(pointer.version());
                }
            }
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete ALIAS.")
    static final class Remove implements Callable<Integer> {
        private final Context context;
        @Mixin
        RegistryOptions registry = new RegistryOptions();
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;
        @Option(names = "--expect", paramLabel = "VERSION", description = "Only delete if the alias points at this version now")
        String expect;
        @Option(names = "--reason")
        String reason;
        @Option(names = "--json")
        boolean json;

        Remove(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (ModelRegistry registry = this.registry.open(context)) {
                AliasChange change = registry.deleteAlias(Names.model(model), alias, expected(expect), Caller.fromEnvironment(context.env()), reason);
                if (json) {
                    context.out().println(Json.toString(changeDocument(model, change)));
                } else {
                    context.out().printf("%s@%s deleted (was %d)%n", model, alias, change.fromVersion());
                }
            }
            return 0;
        }
    }
}
