package hudson;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.remoting.Callable;
import hudson.remoting.Future;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.jenkinsci.remoting.RoleSensitive;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/**
 * STUB of jenkins-core {@code hudson.FilePath}, working for LOCAL paths only.
 *
 * <p>With a null channel (the {@link #FilePath(File)} constructor), {@link #act(FileCallable)}
 * invokes the callable in-process on {@code new File(getRemote())}, passing a {@code null}
 * channel (the real class passes its {@code LocalChannel}); the callable is not serialized and
 * its roles are not checked. Operations on a remote path (non-null channel) throw
 * {@link UnsupportedOperationException}. Path handling joins with the separator already used in
 * the remote path and does not collapse {@code ..} the way the real {@code normalize} does.
 * Only the members listed in the project's jenkins-notes are present.
 */
public final class FilePath implements SerializableOnlyOverRemoting {

    /**
     * STUB of {@code FilePath.FileCallable}: code executed on the machine where the file is.
     */
    public interface FileCallable<T> extends Serializable, RoleSensitive {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }

    private transient VirtualChannel channel;
    private String remote;

    public FilePath(@CheckForNull VirtualChannel channel, @NonNull String remote) {
        this.channel = channel;
        this.remote = trimTrailingSeparator(remote);
    }

    public FilePath(@NonNull File localPath) {
        this((VirtualChannel) null, localPath.getPath());
    }

    public FilePath(@NonNull FilePath base, @NonNull String rel) {
        this(base.channel, isAbsolute(rel) ? rel : base.remote + base.separator() + rel);
    }

    private static String trimTrailingSeparator(String path) {
        String p = path;
        while (p.length() > 1 && (p.endsWith("/") || p.endsWith("\\")) && !p.matches("[A-Za-z]:[\\\\/]")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static boolean isAbsolute(String rel) {
        return rel.startsWith("/") || rel.startsWith("\\\\") || rel.matches("[A-Za-z]:[\\\\/].*");
    }

    private char separator() {
        return remote.contains("\\") && !remote.contains("/") ? '\\' : '/';
    }

    public String getRemote() {
        return remote;
    }

    public boolean isRemote() {
        return channel != null;
    }

    /** The real method returns the {@code LocalChannel} for local paths; the stub returns null. */
    public VirtualChannel getChannel() {
        return channel;
    }

    public String getName() {
        int i = Math.max(remote.lastIndexOf('/'), remote.lastIndexOf('\\'));
        return remote.substring(i + 1);
    }

    public String getBaseName() {
        String n = getName();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }

    @NonNull
    public FilePath child(String relOrAbsolute) {
        return new FilePath(this, relOrAbsolute);
    }

    @CheckForNull
    public FilePath getParent() {
        int i = Math.max(remote.lastIndexOf('/'), remote.lastIndexOf('\\'));
        return i <= 0 ? null : new FilePath(channel, remote.substring(0, i + 1));
    }

    @CheckForNull
    public FilePath sibling(String rel) {
        FilePath parent = getParent();
        return parent != null ? parent.child(rel) : null;
    }

    public <T> T act(final FileCallable<T> callable) throws IOException, InterruptedException {
        return callable.invoke(localFile(), null);
    }

    public <T> Future<T> actAsync(final FileCallable<T> callable) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stub");
    }

    public <V, E extends Throwable> V act(Callable<V, E> callable) throws IOException, InterruptedException, E {
        if (channel != null) {
            return channel.call(callable);
        }
        return callable.call();
    }

    private File localFile() {
        if (channel != null) {
            throw new UnsupportedOperationException("stub: FilePath on a remote channel; only local paths work");
        }
        return new File(remote);
    }

    public boolean exists() throws IOException, InterruptedException {
        return localFile().exists();
    }

    public boolean isDirectory() throws IOException, InterruptedException {
        return localFile().isDirectory();
    }

    public long length() throws IOException, InterruptedException {
        return localFile().length();
    }

    public void mkdirs() throws IOException, InterruptedException {
        Files.createDirectories(localFile().toPath());
    }

    public void deleteRecursive() throws IOException, InterruptedException {
        File root = localFile();
        if (!root.exists()) {
            return;
        }
        try (var walk = Files.walk(root.toPath())) {
            for (var p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @NonNull
    public List<FilePath> list() throws IOException, InterruptedException {
        File[] children = localFile().listFiles();
        List<FilePath> result = new ArrayList<>();
        if (children != null) {
            for (File c : children) {
                result.add(new FilePath(c));
            }
        }
        return result;
    }

    public InputStream read() throws IOException, InterruptedException {
        return Files.newInputStream(localFile().toPath());
    }

    /** Reads the file in the platform default charset, as the real method does. */
    public String readToString() throws IOException, InterruptedException {
        return Files.readString(localFile().toPath(), Charset.defaultCharset());
    }

    public OutputStream write() throws IOException, InterruptedException {
        File f = localFile().getAbsoluteFile();
        Files.createDirectories(f.getParentFile().toPath());
        return Files.newOutputStream(f.toPath());
    }

    /** Overwrites the file; a null encoding means the platform default, as in the real method. */
    public void write(final String content, final String encoding) throws IOException, InterruptedException {
        File f = localFile().getAbsoluteFile();
        Files.createDirectories(f.getParentFile().toPath());
        Files.writeString(f.toPath(), content, encoding == null ? Charset.defaultCharset() : Charset.forName(encoding));
    }

    public void copyFrom(InputStream in) throws IOException, InterruptedException {
        try (OutputStream out = write()) {
            in.transferTo(out);
        }
    }

    public void copyTo(FilePath target) throws IOException, InterruptedException {
        try (InputStream in = read()) {
            target.copyFrom(in);
        }
    }

    public FilePath createTempFile(final String prefix, final String suffix) throws IOException, InterruptedException {
        return new FilePath(File.createTempFile(prefix, suffix, localFile()));
    }

    public void touch(final long timestamp) throws IOException, InterruptedException {
        File f = localFile();
        if (!f.exists()) {
            Files.newOutputStream(f.toPath()).close();
        }
        if (!f.setLastModified(timestamp)) {
            throw new IOException("Failed to set the timestamp of " + f + " to " + timestamp);
        }
    }

    @Override
    public String toString() {
        return remote;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FilePath other && remote.equals(other.remote) && channel == other.channel;
    }

    @Override
    public int hashCode() {
        return remote.hashCode();
    }

    private static final long serialVersionUID = 1L;
}
