package dev.mlops.jenkins.train.webhook;

import hudson.model.StringParameterValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Jenkins' item tree and queue as a test sees them: which jobs exist, and what was queued. */
final class RecordingJenkinsJobs implements JenkinsJobs {
    record Scheduled(String job, Map<String, String> parameters, WebhookCause cause) {
    }

    private final Set<String> existing;
    final List<Scheduled> scheduled = new ArrayList<>();
    boolean refuse;

    RecordingJenkinsJobs(String... existing) {
        this.existing = Set.of(existing);
    }

    @Override
    public boolean exists(String fullName) {
        return existing.contains(fullName);
    }

    @Override
    public synchronized String schedule(String fullName, List<StringParameterValue> parameters, WebhookCause cause) {
        if (refuse) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        parameters.forEach(p -> values.put(p.getName(), p.getValue()));
        scheduled.add(new Scheduled(fullName, values, cause));
        return "queue/item/" + scheduled.size() + "/";
    }
}
