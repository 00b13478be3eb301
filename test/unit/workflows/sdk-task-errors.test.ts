import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Catcher, Retrier, State, StateMachineDefinition, TaskState } from "../../../workflows/asl.ts";
import { ESTATE_RECONCILE_TASKS, estateReconcileDefinition } from "../../../workflows/estate-reconcile.ts";
import { IDENTITY_STORE_ERROR_PREFIXES } from "../../../workflows/identity-center-operations.ts";
import { USER_RECONCILE_TASKS, userReconcileDefinition } from "../../../workflows/user-reconcile.ts";

/**
 * Every error an SDK-integration Task can raise, under every prefix Step Functions may give it, is
 * retried (the transient ones) or caught (the rest). The errors come from the AWS service model of
 * the task's operation (test/fixtures/aws/models), so a spelling or an error the definitions forget
 * fails here rather than in a leaver run.
 */

const lambdaArn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const MACHINES: [string, StateMachineDefinition][] = [
  [
    "user-reconcile",
    userReconcileDefinition(Object.fromEntries(USER_RECONCILE_TASKS.map((t) => [t, lambdaArn(t)])) as never),
  ],
  [
    "estate-reconcile",
    estateReconcileDefinition(
      Object.fromEntries(ESTATE_RECONCILE_TASKS.map((t) => [t, lambdaArn(t)])) as never,
    ),
  ],
];

/**
 * Per SDK service name in a Task's Resource: its model file and the prefixes of its errors. Step
 * Functions developer guide, "Supported AWS SDK service integrations": ssoadmin -> `SsoAdmin`,
 * identitystore -> `Identitystore` (the other spelling is the `identityStoreErrorPrefix` switch).
 */
const SERVICES: Record<string, { model: string; prefixes: readonly string[] }> = {
  ssoadmin: { model: "sso-admin", prefixes: ["SsoAdmin"] },
  identitystore: { model: "identitystore", prefixes: IDENTITY_STORE_ERROR_PREFIXES },
};

/** Errors that say "try again later": a Task must retry them, not only catch them. */
const TRANSIENT = new Set(["ThrottlingException", "ConflictException", "InternalServerException"]);

interface Model {
  operations: Record<string, { errors?: { shape: string }[] }>;
}
const models = new Map<string, Model>();
function operationErrors(model: string, operation: string): string[] {
  let loaded = models.get(model);
  if (!loaded) {
    const file = new URL(`../../fixtures/aws/models/${model}.json`, import.meta.url);
    loaded = JSON.parse(readFileSync(file, "utf8")) as Model;
    models.set(model, loaded);
  }
  const errors = loaded.operations[operation]?.errors;
  if (!errors) throw new Error(`${model} has no operation ${operation} (or it lists no errors)`);
  return errors.map((e) => e.shape);
}

/** Every Task state, Map processors included. */
function tasks(states: Record<string, State>): [string, TaskState][] {
  return Object.entries(states).flatMap(([name, s]): [string, TaskState][] => {
    if (s.Type === "Map") return tasks(s.ItemProcessor.States);
    return s.Type === "Task" ? [[name, s]] : [];
  });
}

/** ASL error matching: the name itself, or States.ALL / States.TaskFailed (any Task error but a timeout). */
const matches = (rules: readonly (Retrier | Catcher)[] | undefined, error: string) =>
  (rules ?? []).some((r) =>
    r.ErrorEquals.some((e) => e === error || e === "States.ALL" || e === "States.TaskFailed"),
  );

const catchesByName = (rules: readonly Catcher[] | undefined, error: string) =>
  (rules ?? []).some((r) => r.ErrorEquals.includes(error));

function sdkTasks(machine: StateMachineDefinition) {
  return tasks(machine.States).flatMap(([name, state]) => {
    const match = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(state.Resource);
    if (!match) return [];
    const [, service = "", action = ""] = match;
    const spec = SERVICES[service];
    if (!spec) throw new Error(`${name}: no model known for SDK service ${service}`);
    const operation = `${action[0]?.toUpperCase()}${action.slice(1)}`;
    return [{ name, state, spec, operation, errors: operationErrors(spec.model, operation) }];
  });
}

describe("SDK-integration tasks' Retry and Catch", () => {
  it.each(MACHINES)(
    "%s: every modelled error is retried (transient) or caught, under each prefix",
    (_n, machine) => {
      // Prepare
      const found = sdkTasks(machine);

      // Act
      const uncovered = found.flatMap(({ name, state, spec, errors }) =>
        spec.prefixes.flatMap((prefix) =>
          errors.flatMap((code) => {
            const error = `${prefix}.${code}`;
            // A transient error is retried, or caught by name into states that settle it (the
            // membership add reads whether a conflict means "already a member"), never by States.ALL.
            if (TRANSIENT.has(code))
              return matches(state.Retry, error) || catchesByName(state.Catch, error)
                ? []
                : [`${name}: ${error} not retried`];
            return matches(state.Retry, error) || matches(state.Catch, error)
              ? []
              : [`${name}: ${error} uncaught`];
          }),
        ),
      );

      // Assess
      expect(uncovered).toEqual([]);
    },
  );

  it("the user workflow's identitystore tasks name both prefixes in their own Retry (not only States.ALL)", () => {
    // Prepare
    const [, user] = MACHINES[0] as [string, StateMachineDefinition];
    const identityStoreTasks = sdkTasks(user).filter((t) => t.spec.model === "identitystore");

    // Act
    const named = identityStoreTasks.map(({ name, state }) => ({
      name,
      prefixes: IDENTITY_STORE_ERROR_PREFIXES.filter((p) =>
        (state.Retry ?? []).some((r) => r.ErrorEquals.includes(`${p}.ThrottlingException`)),
      ),
    }));

    // Assess: membership removal and addition (with the reads that settle a conflict) exist, and each
    // retries a throttle in both spellings
    expect(named.map((t) => t.name).sort()).toEqual([
      "AddMembership",
      "AddMembershipAgain",
      "ConfirmMembership",
      "FindExistingMembership",
      "RemoveMembership",
    ]);
    for (const t of named) expect(t.prefixes).toEqual(["Identitystore", "IdentityStore"]);
  });

  it("a definition's SDK task with an operation the model does not have is reported, not skipped", () => {
    // Prepare
    const bogus: StateMachineDefinition = {
      StartAt: "X",
      States: {
        X: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:identitystore:deleteEverything", End: true },
      },
    };

    // Act
    const attempt = () => sdkTasks(bogus);

    // Assess
    expect(attempt).toThrow("identitystore has no operation DeleteEverything");
  });
});
