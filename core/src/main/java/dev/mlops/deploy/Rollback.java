package dev.mlops.deploy;

import dev.mlops.error.ConflictException;
import dev.mlops.error.NotFoundException;
import dev.mlops.registry.AliasChange;
import dev.mlops.registry.AliasPointer;
import dev.mlops.registry.Caller;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RegisteredModel;
import java.util.List;

/**
 * Moves {@code production} back: to {@code --to}, or to the version it pointed at before the
 * current one (from the alias history), with compare-and-swap on the current version so a
 * concurrent move is never overwritten.
 */
public final class Rollback {
    private final ModelRegistry registry;

    public Rollback(ModelRegistry registry) {
        this.registry = registry;
    }

    public AliasChange rollback(String model, Integer to, String reason, Caller caller) {
        RegisteredModel registered = registry.model(model);
        int current = registered.alias(Rollouts.PRODUCTION).map(AliasPointer::version).orElseThrow(() -> new NotFoundException(
                "alias: production is not set on model " + model + "; nothing to roll back"));
        int target = to != null ? to : previous(registered, current);
        if (target == current) {
            throw new ConflictException("rollback: " + model + "@production is already version " + current + "; pass --to another version");
        }
        return registry.setAlias(model, Rollouts.PRODUCTION, target, current, caller,
                reason == null || reason.isBlank() ? "rollback from " + current : reason);
    }

    /** The version production pointed at right before it was last moved to {@code current}. */
    static int previous(RegisteredModel model, int current) {
        List<AliasChange> history = model.aliasHistory();
        for (int i = history.size() - 1; i >= 0; i--) {
            AliasChange c = history.get(i);
            if (Rollouts.PRODUCTION.equals(c.alias()) && c.toVersion() != null && c.toVersion() == current && c.fromVersion() != null) {
                return c.fromVersion();
            }
        }
        throw new NotFoundException("rollback: the history of " + model.name() + "@production has no version before " + current
                + "; pass --to VERSION");
    }
}
