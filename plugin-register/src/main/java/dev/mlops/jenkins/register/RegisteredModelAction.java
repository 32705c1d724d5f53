package dev.mlops.jenkins.register;

import dev.mlops.jenkins.support.BuildPageAction;
import static dev.mlops.jenkins.support.ActionSupport.humanSize;
import static dev.mlops.jenkins.support.ActionSupport.list;
import static dev.mlops.jenkins.support.ActionSupport.map;
import static dev.mlops.jenkins.support.ActionSupport.number;
import static dev.mlops.jenkins.support.ActionSupport.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One registered model version, attached to the build that registered it: a page at
 * {@code <build>/mlops-model-<model>-<version>/} (index.jelly) and a line on the build page
 * (summary.jelly). Fields are plain values persisted with the build (build.xml); the run is
 * transient and restored in {@link #onLoad}.
 */
public class RegisteredModelAction extends BuildPageAction {
    private final String model;
    private final int version;
    private final String ref;
    private final String registry;
    private final String format;
    private final String description;
    private final String createdAt;
    private final String createdBy;
    private final List<String> aliases;
    private final List<FileEntry> files;
    private final Map<String, Double> metrics;
    private final String gitCommit;
    private final String gitBranch;
    private final Boolean gitDirty;
    private final String gitRemote;
    private final List<DatasetEntry> datasets;
    private final String buildUrl;
    private final String user;


    RegisteredModelAction(String model, int version, String ref, String registry, String format, String description,
                          String createdAt, String createdBy, List<String> aliases, List<FileEntry> files,
                          Map<String, Double> metrics, String gitCommit, String gitBranch, Boolean gitDirty,
                          String gitRemote, List<DatasetEntry> datasets, String buildUrl, String user) {
        this.model = model;
        this.version = version;
        this.ref = ref;
        this.registry = registry;
        this.format = format;
        this.description = description;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        this.aliases = new ArrayList<>(aliases);
        this.files = new ArrayList<>(files);
        this.metrics = new TreeMap<>(metrics);
        this.gitCommit = gitCommit;
        this.gitBranch = gitBranch;
        this.gitDirty = gitDirty;
        this.gitRemote = gitRemote;
        this.datasets = new ArrayList<>(datasets);
        this.buildUrl = buildUrl;
        this.user = user;
    }

    /** Builds the action from a version document (schema mlops.version/v1) as parsed from JSON. */
    static RegisteredModelAction fromDocument(Map<String, Object> doc) {
        Map<String, Object> lineage = map(doc.get("lineage"));
        Map<String, Object> git = map(lineage.get("git"));
        Map<String, Object> build = map(lineage.get("build"));

        List<FileEntry> files = new ArrayList<>();
        for (Object o : list(doc.get("files"))) {
            Map<String, Object> f = map(o);
            files.add(new FileEntry(text(f.get("path")), text(f.get("sha256")), number(f.get("sizeBytes"))));
        }
        List<DatasetEntry> datasets = new ArrayList<>();
        for (Object o : list(lineage.get("datasets"))) {
            Map<String, Object> d = map(o);
            Object rows = d.get("rows");
            datasets.add(new DatasetEntry(text(d.get("path")), text(d.get("sha256")), number(d.get("sizeBytes")),
                    rows == null ? null : number(rows)));
        }
        Map<String, Double> metrics = new TreeMap<>();
        map(doc.get("metrics")).forEach((k, v) -> {
            if (v instanceof Number n) {
                metrics.put(k, n.doubleValue());
            }
        });
        List<String> aliases = new ArrayList<>();
        list(doc.get("aliases")).forEach(a -> aliases.add(String.valueOf(a)));
        Object dirty = git.get("dirty");

        return new RegisteredModelAction(text(doc.get("model")), (int) number(doc.get("version")), text(doc.get("ref")),
                text(doc.get("registry")), text(doc.get("format")), text(doc.get("description")),
                text(doc.get("createdAt")), text(doc.get("createdBy")), aliases, files, metrics,
                text(git.get("commit")), text(git.get("branch")), dirty instanceof Boolean b ? b : null,
                text(git.get("remoteUrl")), datasets, text(build.get("url")), text(lineage.get("user")));
    }

    @Override
    public String getIconFileName() {
        return Messages.ACTION_ICON;
    }

    @Override
    public String getDisplayName() {
        return Messages.actionDisplayName(ref);
    }

    /** Unique per registered version, so one build can register several versions. */
    @Override
    public String getUrlName() {
        return Messages.URL_PREFIX + model + "-" + version;
    }

    public String getModel() {
        return model;
    }

    public int getVersion() {
        return version;
    }

    public String getRef() {
        return ref;
    }

    public String getRegistry() {
        return registry;
    }

    public String getFormat() {
        return format;
    }

    public String getDescription() {
        return description;
    }

    public String getCreatedAt() {
        return createdAt;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public List<String> getAliases() {
        return Collections.unmodifiableList(aliases);
    }

    /** Aliases as "a, b" for one-line display. */
    public String getAliasesText() {
        return String.join(", ", aliases);
    }

    public List<FileEntry> getFiles() {
        return Collections.unmodifiableList(files);
    }

    public long getTotalBytes() {
        return files.stream().mapToLong(FileEntry::getSizeBytes).sum();
    }

    public Map<String, Double> getMetrics() {
        return Collections.unmodifiableMap(metrics);
    }

    public String getGitCommit() {
        return gitCommit;
    }

    public String getGitShortCommit() {
        return gitCommit == null ? null : gitCommit.substring(0, Math.min(12, gitCommit.length()));
    }

    public String getGitBranch() {
        return gitBranch;
    }

    public Boolean getGitDirty() {
        return gitDirty;
    }

    public String getGitRemote() {
        return gitRemote;
    }

    public List<DatasetEntry> getDatasets() {
        return Collections.unmodifiableList(datasets);
    }

    public String getBuildUrl() {
        return buildUrl;
    }

    /** The CI build URL only when it is http(s), so the page never renders another scheme as a link. */
    public String getBuildLink() {
        return buildUrl != null && (buildUrl.startsWith("https://") || buildUrl.startsWith("http://")) ? buildUrl : null;
    }

    public String getUser() {
        return user;
    }

    /** One file of the version. */
    public static final class FileEntry {
        private final String path;
        private final String sha256;
        private final long sizeBytes;

        FileEntry(String path, String sha256, long sizeBytes) {
            this.path = path;
            this.sha256 = sha256;
            this.sizeBytes = sizeBytes;
        }

        public String getPath() {
            return path;
        }

        public String getSha256() {
            return sha256;
        }

        public long getSizeBytes() {
            return sizeBytes;
        }

        public String getSize() {
            return humanSize(sizeBytes);
        }
    }

    /** A dataset fingerprint from the version's lineage. */
    public static final class DatasetEntry {
        private final String path;
        private final String sha256;
        private final long sizeBytes;
        private final Long rows;

        DatasetEntry(String path, String sha256, long sizeBytes, Long rows) {
            this.path = path;
            this.sha256 = sha256;
            this.sizeBytes = sizeBytes;
            this.rows = rows;
        }

        public String getPath() {
            return path;
        }

        public String getSha256() {
            return sha256;
        }

        public long getSizeBytes() {
            return sizeBytes;
        }

        public String getSize() {
            return humanSize(sizeBytes);
        }

        public Long getRows() {
            return rows;
        }
    }
}
