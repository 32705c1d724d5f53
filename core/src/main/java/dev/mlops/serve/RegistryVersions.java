package dev.mlops.serve;

import dev.mlops.model.Predictor;
import dev.mlops.registry.ModelRef;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.storage.TransferListener;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Versions a running server loads on request, from the registry: each use opens the registry with
 * {@code opener} and closes it again (a server runs for days; credentials and connections are not
 * held between loads). Downloads go to {@code cacheDir/NAME/VERSION}, SHA-256 verified.
 */
public final class RegistryVersions implements VersionSource {
    private final Supplier<ModelRegistry> opener;
    private final Path cacheDir;
    private final PredictorFactory loader;
    private final TransferListener listener;

    public RegistryVersions(Supplier<ModelRegistry> opener, Path cacheDir, PredictorFactory loader, TransferListener listener) {
        this.opener = opener;
        this.cacheDir = cacheDir;
        this.loader = loader;
        this.listener = listener;
    }

    @Override
    public ModelSpec resolve(String model, int version) {
        try (ModelRegistry registry = opener.get()) {
            ModelVersion found = registry.get(new ModelRef(model, version, null));
            return RegistryPlan.spec(cacheDir, found);
        }
    }

    @Override
    public Predictor load(ModelSpec spec) {
        try (ModelRegistry registry = opener.get()) {
            registry.download(new ModelRef(spec.name(), spec.version(), null), spec.dir(), listener);
        }
        return loader.load(spec.dir());
    }
}
