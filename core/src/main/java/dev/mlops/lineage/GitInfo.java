package dev.mlops.lineage;

/** Where the code came from. {@code remoteUrl} never carries credentials. */
public record GitInfo(String commit, String branch, boolean dirty, String remoteUrl) {
}
