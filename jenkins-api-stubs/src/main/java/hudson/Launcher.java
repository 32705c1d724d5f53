package hudson;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * STUB of jenkins-core {@code hudson.Launcher} with its builder {@link ProcStarter}.
 *
 * <p>Differences: the real class has the abstract {@code launchChannel(...)} and
 * {@code kill(Map)}, {@code ArgumentListBuilder} overloads, decorators and the deprecated
 * {@code launch(String[] ...)} overloads; all omitted. {@link LocalLauncher} is a small working
 * implementation on {@link ProcessBuilder} for unit tests (the real one is far richer: process-tree
 * killing, masked command echo, environment cookie).
 */
public abstract class Launcher {
    @NonNull
    protected final TaskListener listener;
    @CheckForNull
    protected final VirtualChannel channel;

    protected Launcher(@NonNull TaskListener listener, @CheckForNull VirtualChannel channel) {
        this.listener = listener;
        this.channel = channel;
    }

    @CheckForNull
    public VirtualChannel getChannel() {
        return channel;
    }

    @NonNull
    public TaskListener getListener() {
        return listener;
    }

    public boolean isUnix() {
        return File.pathSeparatorChar == ':';
    }

    /** Builder for a process to launch. */
    public final class ProcStarter {
        protected List<String> commands;
        protected boolean[] masks;
        private boolean quiet;
        protected FilePath pwd;
        protected OutputStream stdout = OutputStream.nullOutputStream();
        protected OutputStream stderr;
        protected InputStream stdin = InputStream.nullInputStream();
        protected String[] envs;

        public ProcStarter cmds(String... args) {
            return cmds(Arrays.asList(args));
        }

        public ProcStarter cmds(List<String> args) {
            commands = new ArrayList<>(args);
            return this;
        }

        public List<String> cmds() {
            return commands;
        }

        public ProcStarter masks(boolean... masks) {
            this.masks = masks;
            return this;
        }

        public boolean[] masks() {
            return masks;
        }

        public ProcStarter quiet(boolean quiet) {
            this.quiet = quiet;
            return this;
        }

        public boolean quiet() {
            return quiet;
        }

        public ProcStarter pwd(FilePath workDir) {
            this.pwd = workDir;
            return this;
        }

        public ProcStarter pwd(File workDir) {
            return pwd(new FilePath(workDir));
        }

        public ProcStarter pwd(String workDir) {
            return pwd(new File(workDir));
        }

        public FilePath pwd() {
            return pwd;
        }

        public ProcStarter stdout(OutputStream out) {
            this.stdout = out;
            return this;
        }

        public ProcStarter stdout(TaskListener out) {
            return stdout(out.getLogger());
        }

        public OutputStream stdout() {
            return stdout;
        }

        public ProcStarter stderr(OutputStream err) {
            this.stderr = err;
            return this;
        }

        public OutputStream stderr() {
            return stderr;
        }

        public ProcStarter stdin(InputStream in) {
            this.stdin = in;
            return this;
        }

        public InputStream stdin() {
            return stdin;
        }

        /** Environment overrides on top of the inherited environment. */
        public ProcStarter envs(Map<String, String> overrides) {
            List<String> lines = new ArrayList<>();
            overrides.forEach((k, v) -> lines.add(k + '=' + v));
            this.envs = lines.toArray(new String[0]);
            return this;
        }

        /** Overrides as {@code "VAR=VALUE"} strings. */
        public ProcStarter envs(String... overrides) {
            if (overrides != null) {
                for (String o : overrides) {
                    if (o.indexOf('=') == -1) {
                        throw new IllegalArgumentException(o);
                    }
                }
            }
            this.envs = overrides;
            return this;
        }

        public String[] envs() {
            return envs != null ? envs.clone() : new String[0];
        }

        public Proc start() throws IOException {
            return launch(this);
        }

        public int join() throws IOException, InterruptedException {
            return start().join();
        }
    }

    public final ProcStarter launch() {
        return new ProcStarter();
    }

    public abstract Proc launch(@NonNull ProcStarter starter) throws IOException;

    /**
     * STUB of {@code Launcher.LocalLauncher}: runs the process on this machine with
     * {@link ProcessBuilder}. stdout and stderr are copied to the starter's streams (stderr into
     * stdout when unset); the command line is echoed as {@code $ cmd args} unless quiet, with
     * masked arguments shown as {@code ********}.
     */
    public static class LocalLauncher extends Launcher {
        public LocalLauncher(@NonNull TaskListener listener) {
            super(listener, null);
        }

        @Override
        public Proc launch(@NonNull ProcStarter ps) throws IOException {
            List<String> cmds = ps.cmds();
            if (!ps.quiet()) {
                StringBuilder echo = new StringBuilder("$");
                boolean[] masks = ps.masks();
                for (int i = 0; i < cmds.size(); i++) {
                    echo.append(' ').append(masks != null && i < masks.length && masks[i] ? "********" : cmds.get(i));
                }
                listener.getLogger().println(echo);
            }
            ProcessBuilder pb = new ProcessBuilder(cmds);
            if (ps.pwd() != null) {
                pb.directory(new File(ps.pwd().getRemote()));
            }
            for (String kv : ps.envs()) {
                int eq = kv.indexOf('=');
                pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            Process process = pb.start();
            OutputStream out = ps.stdout() != null ? ps.stdout() : OutputStream.nullOutputStream();
            OutputStream err = ps.stderr() != null ? ps.stderr() : out;
            Thread outPump = pump(process.getInputStream(), out);
            Thread errPump = pump(process.getErrorStream(), err);
            InputStream in = ps.stdin();
            if (in != null) {
                try (OutputStream toProcess = process.getOutputStream()) {
                    in.transferTo(toProcess);
                }
            }
            return new Proc() {
                @Override
                public boolean isAlive() {
                    return process.isAlive();
                }

                @Override
                public void kill() {
                    process.destroyForcibly();
                }

                @Override
                public int join() throws InterruptedException {
                    int code = process.waitFor();
                    outPump.join();
                    errPump.join();
                    return code;
                }

                @Override
                public InputStream getStdout() {
                    return null;
                }

                @Override
                public InputStream getStderr() {
                    return null;
                }

                @Override
                public OutputStream getStdin() {
                    return null;
                }
            };
        }

        private static Thread pump(InputStream from, OutputStream to) {
            Thread t = new Thread(() -> {
                try (from) {
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = from.read(buf)) >= 0) {
                        synchronized (to) {
                            to.write(buf, 0, n);
                            to.flush();
                        }
                    }
                } catch (IOException ignored) {
                    // process ended or stream closed
                }
            }, "LocalLauncher pump");
            t.setDaemon(true);
            t.start();
            return t;
        }
    }
}
