package dev.mlops.jenkins.register;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.jenkins.support.ProgressLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLogTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ProgressLog log = new ProgressLog(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1000,
            Messages::transferStarted, Messages::transferProgress);

    private List<String> lines() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    @Test
    void smallTransfersAreSilent() {
        log.progress("small.bin", 500, 999);
        log.progress("small.bin", 999, 999);
        assertEquals(List.of(), lines());
    }

    @Test
    void largeTransfersLogStartAndEachTenthOnce() {
        for (long done = 100; done <= 10_000; done += 100) {
            log.progress("model.bin", done, 10_000);
        }
        log.progress("model.bin", 10_000, 10_000); // the store's final report repeats 100 %
        List<String> lines = lines();
        assertEquals(11, lines.size(), String.join("\n", lines));
        assertEquals("mlopsRegister: uploading model.bin (0.0 MB)", lines.get(0));
        assertEquals("mlopsRegister: model.bin 10% (0.0 MB of 0.0 MB)", lines.get(1));
        assertEquals("mlopsRegister: model.bin 100% (0.0 MB of 0.0 MB)", lines.get(10));
    }

    @Test
    void bigJumpsLogOnlyTheTenthReached() {
        log.progress("a", 0, 2000);
        log.progress("a", 1500, 2000);
        log.progress("a", 2000, 2000);
        assertEquals(List.of("mlopsRegister: uploading a (0.0 MB)", "mlopsRegister: a 70% (0.0 MB of 0.0 MB)",
                "mlopsRegister: a 100% (0.0 MB of 0.0 MB)"), lines());
    }
}
