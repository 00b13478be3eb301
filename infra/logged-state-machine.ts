/**
 * A Standard state machine with what every workflow of the stack gets: its own vended log group
 * (90 days, errors with execution data) and X-Ray tracing.
 */
export function loggedStateMachine(
  id: string,
  args: { name: string; logGroupName: string; roleArn: $util.Input<string>; definition: $util.Input<string> },
) {
  const logGroup = new aws.cloudwatch.LogGroup(`${id}Logs`, { name: args.logGroupName, retentionInDays: 90 });
  return new aws.sfn.StateMachine(id, {
    name: args.name,
    type: "STANDARD",
    roleArn: args.roleArn,
    definition: args.definition,
    loggingConfiguration: {
      logDestination: $interpolate`${logGroup.arn}:*`,
      includeExecutionData: true,
      level: "ERROR",
    },
    tracingConfiguration: { enabled: true },
  });
}
