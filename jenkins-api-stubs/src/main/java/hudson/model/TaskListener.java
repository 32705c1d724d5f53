package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/**
 * STUB of jenkins-core {@code hudson.model.TaskListener}. Omitted: {@code annotate(ConsoleNote)}
 * and {@code hyperlink(String, String)} (no console-note types here). {@link #NULL} is a plain
 * discarding listener rather than a {@code StreamTaskListener}.
 */
public interface TaskListener extends SerializableOnlyOverRemoting {
    @NonNull
    PrintStream getLogger();

    @NonNull
    default Charset getCharset() {
        return StandardCharsets.UTF_8;
    }

    @NonNull
    default PrintWriter error(String msg) {
        PrintStream out = getLogger();
        out.print("ERROR: ");
        out.println(msg);
        return new PrintWriter(new OutputStreamWriter(out, getCharset()), true);
    }

    @NonNull
    default PrintWriter error(String format, Object... args) {
        return error(String.format(format, args));
    }

    @NonNull
    default PrintWriter fatalError(String msg) {
        PrintStream out = getLogger();
        out.print("FATAL: ");
        out.println(msg);
        return new PrintWriter(new OutputStreamWriter(out, getCharset()), true);
    }

    @NonNull
    default PrintWriter fatalError(String format, Object... args) {
        return fatalError(String.format(format, args));
    }

    /** A listener that discards its output. */
    TaskListener NULL = () -> new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
}
