package dev.mlops.jenkins.train.webhook;

import hudson.model.CauseAction;
import hudson.model.Job;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.Queue;
import hudson.model.StringParameterValue;
import hudson.security.ACL;
import hudson.security.ACLContext;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;

/**
 * Looks jobs up and queues them as SYSTEM: the webhook request is anonymous, so it could see no job.
 * That is safe only because {@link AllowListedJobLauncher} asks this class about allow-listed names
 * alone, after the request's signature was verified.
 */
final class QueueJenkinsJobs implements JenkinsJobs {

    @Override
    public boolean exists(String fullName) {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            return Jenkins.get().getItemByFullName(fullName, Job.class) instanceof ParameterizedJobMixIn.ParameterizedJob;
        }
    }

    @Override
    public String schedule(String fullName, List<StringParameterValue> parameters, WebhookCause cause) {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            Job<?, ?> job = Jenkins.get().getItemByFullName(fullName, Job.class);
            if (job == null) {
                return null;
            }
            Queue.Item item = ParameterizedJobMixIn.scheduleBuild2(job, -1, new CauseAction(cause),
                    new ParametersAction(new ArrayList<ParameterValue>(parameters)));
            return item == null ? null : item.getUrl();
        }
    }
}
