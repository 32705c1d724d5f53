package dev.mlops.serve;

/**
 * A version as the admin endpoint {@code GET /admin/versions} lists it.
 *
 * @param state      {@value #LOADING}, {@value #READY}, {@value #FAILED} (the load failed; {@code error} says why, nothing
 *                   else changed) or {@value #UNLOADED} (the answer to an unload)
 * @param role       its role under the model's traffic policy: primary, canary, shadow or other
 * @param loadMillis how long downloading and loading took, for versions loaded at runtime
 */
public record VersionStatus(String model, int version, String state, String role, String error, Long loadMillis) {
    public static final String LOADING = "loading";
    public static final String READY = "ready";
    public static final String FAILED = "failed";
    public static final String UNLOADED = "unloaded";

    public String ref() {
        return model + ":" + version;
    }

    VersionStatus withRole(String newRole) {
        return new VersionStatus(model, version, state, newRole, error, loadMillis);
    }
}
