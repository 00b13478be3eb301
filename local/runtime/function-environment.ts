/**
 * Builds one Lambda function's dependencies under that function's own `AWS_LAMBDA_FUNCTION_NAME`, as
 * the Lambda runtime sets it for each function (Lambda developer guide, "Defined runtime environment
 * variables": https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 *
 * The local stack runs every function in one process, so the variable cannot stay set per function:
 * it is set while `build` constructs the function's clients and restored after. That is when
 * Powertools reads it: the idempotency persistence layer snapshots it in its constructor as its
 * key-prefix base (`BasePersistenceLayer`, @aws-lambda-powertools/idempotency 2.x), so records keep the
 * name of the function that built them, as they would in AWS.
 */
export function underFunctionName<T>(functionName: string, build: () => T): T {
  const previous = process.env.AWS_LAMBDA_FUNCTION_NAME;
  process.env.AWS_LAMBDA_FUNCTION_NAME = functionName;
  try {
    const built = build();
    if (built instanceof Promise) {
      throw new TypeError(
        `underFunctionName(${functionName}): build must construct synchronously; the name is only set while it runs`,
      );
    }
    return built;
  } finally {
    if (previous === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    else process.env.AWS_LAMBDA_FUNCTION_NAME = previous;
  }
}
