package dev.mlops.deploy;

import dev.mlops.error.InvalidInputException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends single-row KServe v2 infer requests to a server at a steady rate, cycling through the
 * given feature rows, for the demo and for canaries without real traffic. Requests go to the
 * model's unversioned endpoint, so the server's traffic split decides who answers.
 */
public final class TrafficGenerator implements StagedDeploy.StepTraffic {
    private final ServerClient client;
    private final String model;
    private final float[][] rows;
    private final double rps;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private int next;

    public TrafficGenerator(ServerClient client, String model, float[][] rows, double rps) {
        if (rows.length == 0) {
            throw new InvalidInputException("traffic: the CSV has no rows; give a holdout with at least one row");
        }
        if (!(rps > 0 && rps <= 10_000)) {
            throw new InvalidInputException("rps: " + rps + " not in (0, 10000]; give requests per second such as 200");
        }
        this.client = client;
        this.model = model;
        this.rows = rows;
        this.rps = rps;
    }

    /** Requests sent so far, and how many of them failed (no answer or not 200). */
    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void during(URI server, Duration step) {
        URI infer = server.resolve("/v2/models/" + model + "/infer");
        long start = System.nanoTime();
        long end = start + step.toNanos();
        long period = (long) (1e9 / rps);
        for (long i = 0; ; i++) {
            long due = start + i * period;
            if (due >= end) {
                return;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                StagedDeploy.sleep(Duration.ofNanos(wait));
            }
            float[][] row = {rows[next]};
            next = (next + 1) % rows.length;
            sent.incrementAndGet();
            try {
                if (client.post(infer, SmokeGate.request(row), null).status() != 200) {
                    failed.incrementAndGet();
                }
            } catch (RuntimeException e) {
                failed.incrementAndGet();
            }
        }
    }
}
