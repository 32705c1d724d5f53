package dev.mlops.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A model's mutable state, stored as one document updated by compare-and-swap: its aliases with
 * their full history and its archived versions. Versions themselves live in their own documents.
 */
public record RegisteredModel(int schema, String name, Instant createdAt, String createdBy,
                              Map<String, AliasPointer> aliases, List<AliasChange> aliasHistory,
                              SortedSet<Integer> archived) {
    public static final int SCHEMA = 1;

    public RegisteredModel {
        aliases = aliases == null ? Map.of() : new TreeMap<>(aliases);
        aliasHistory = aliasHistory == null ? List.of() : List.copyOf(aliasHistory);
        archived = archived == null ? new TreeSet<>() : new TreeSet<>(archived);
    }

    public Optional<AliasPointer> alias(String alias) {
        return Optional.ofNullable(aliases.get(alias));
    }

    public List<String> aliasesOf(int version) {
        return aliases.entrySet().stream().filter(e -> e.getValue().version() == version).map(Map.Entry::getKey).toList();
    }

    public boolean isArchived(int version) {
        return archived.contains(version);
    }

    RegisteredModel withAlias(String alias, AliasPointer pointer, AliasChange change) {
        Map<String, AliasPointer> next = new TreeMap<>(aliases);
        if (pointer == null) {
            next.remove(alias);
        } else {
            next.put(alias, pointer);
        }
        List<AliasChange> history = new java.util.ArrayList<>(aliasHistory);
        history.add(change);
        return new RegisteredModel(schema, name, createdAt, createdBy, next, history, archived);
    }

    RegisteredModel withArchived(int version) {
        SortedSet<Integer> next = new TreeSet<>(archived);
        next.add(version);
        return new RegisteredModel(schema, name, createdAt, createdBy, aliases, aliasHistory, next);
    }
}
