package dev.mlops.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mlops.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuProbeTest {
    @TempDir
    Path dir;

    String fakeNvidiaSmi(String body) throws IOException {
        Path script = Files.writeString(dir.resolve("nvidia-smi"), "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script.toString();
    }

    @Test
    void parsesTheGpusNvidiaSmiLists() throws IOException {
        GpuProbe probe = new GpuProbe(fakeNvidiaSmi("""
                [ "$1" = "--query-gpu=name,driver_version" ] && [ "$2" = "--format=csv,noheader" ] || exit 9
                echo "NVIDIA H100 80GB HBM3, 550.54.15"
                echo "NVIDIA A10G, 535.104.05"
                """));
        assertEquals(List.of(new GpuInfo("NVIDIA H100 80GB HBM3", "550.54.15"), new GpuInfo("NVIDIA A10G", "535.104.05")),
                probe.nvidiaGpus());
        assertDoesNotThrow(() -> probe.requireGpu(Map.of()));
        assertEquals(2, RunEnvironment.capture(Map.of(), probe).gpus().size());
    }

    @Test
    void absentOrFailingNvidiaSmiMeansNoGpu() throws IOException {
        assertEquals(List.of(), new GpuProbe(dir.resolve("missing").toString()).nvidiaGpus());
        assertEquals(List.of(), new GpuProbe(fakeNvidiaSmi("echo 'No devices were found'\nexit 6\n")).nvidiaGpus());
    }

    @Test
    void requireGpuFailsNamingTheHostAndAgent() throws IOException {
        GpuProbe probe = new GpuProbe(fakeNvidiaSmi("exit 0\n"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> probe.requireGpu(Map.of("HOSTNAME", "build-7", "NODE_NAME", "linux-cpu-2")));
        assertEquals("require-gpu: no GPU visible on host build-7 (agent linux-cpu-2): nvidia-smi lists none and DJL reports 0 GPUs; "
                + "run on a GPU agent (e.g. agent { label 'gpu' }) or drop --require-gpu", e.getMessage());
        assertEquals(2, e.code().exitCode());
    }
}
