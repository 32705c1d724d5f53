package dev.mlops.train;

/** One GPU as nvidia-smi lists it. */
public record GpuInfo(String name, String driverVersion) {
}
