// mlopsApprove: a manual approval gate on Jenkins' built-in `input` step. Help: mlopsApprove.txt.
import groovy.transform.Field

@Field final List ARGUMENTS = ['message', 'approvers', 'timeoutMinutes', 'evidence', 'id', 'ok']

/**
 * Pauses the build until one of `approvers` (user ids or group names) approves, or the timeout
 * ends it (aborted). Only listed approvers can proceed (Jenkins' own `submitter` check; Jenkins
 * administrators always can). Returns [approver: id, approvers: [...], evidence: [...]].
 */
Map call(Map args = [:]) {
    List problems = check(args)
    if (problems) {
        error("mlopsApprove: ${problems.join('; ')}")
    }
    List approvers = approverList(args.approvers)
    List evidence = (args.evidence ?: []).collect { it.toString() }
    int minutes = (args.timeoutMinutes ?: 60) as int
    String message = (args.message ?: 'Promote to production?').toString()
    echo "mlopsApprove: waiting up to ${minutes} min for one of ${approvers.join(', ')}" +
            (evidence ? "; evidence: ${evidence.join(', ')}" : '')
    def approver = null
    timeout(time: minutes, unit: 'MINUTES') {
        approver = input(message: message, ok: (args.ok ?: 'Approve').toString(), id: (args.id ?: 'MlopsApproval').toString(),
                submitter: approvers.join(','), submitterParameter: 'approver')
    }
    echo "mlopsApprove: approved by ${approver}"
    return [approver: approver?.toString(), approvers: approvers, evidence: evidence]
}

@NonCPS
List approverList(def approvers) {
    if (approvers instanceof CharSequence) {
        return approvers.toString().split(',').collect { it.trim() }.findAll { it }
    }
    return (approvers ?: []).collect { it.toString().trim() }.findAll { it }
}

@NonCPS
List check(Map args) {
    List problems = mlopsCli.argumentProblems(args, ARGUMENTS, [approvers: "approvers: ['alice', 'ml-leads']"])
    if (args.approvers != null && approverList(args.approvers).isEmpty()) {
        problems << "'approvers' is empty; list the users or groups who may approve, e.g. approvers: ['alice', 'ml-leads']"
    }
    if (args.timeoutMinutes != null && !(args.timeoutMinutes.toString() ==~ /[1-9]\d*/)) {
        problems << "'timeoutMinutes' must be a whole number of minutes >= 1; got '${args.timeoutMinutes}'".toString()
    }
    return problems
}
