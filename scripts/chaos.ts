// `npm run chaos`: model-based chaos campaign against the local stack (chaos/), or a steady soak.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { formatSummary, runCampaign } from "../chaos/campaign.ts";
import { formatScenario } from "../chaos/scenario.ts";
import { runSoak } from "../chaos/soak.ts";

const HELP = `Usage: npm run chaos -- [options]

Generates Okta histories with faults, runs each on a fresh local stack, and checks the result against
an oracle computed from Okta's final truth and the policy. A diverging history is shrunk and written
as a scenario file: replay it with  npx okta-aws-lifecycle replay-scenario FILE.

Options:
  --seed N          generator seed (default: random, printed)
  --runs N          most histories to run (default 200)
  --budget M        stop after M minutes, shrinking included (default 10)
  --max-steps N     longest history (default 16)
  --out FILE        where to write a failing scenario (default .local/chaos-scenario.json)
  --soak M          instead: M minutes of steady lifecycle traffic on one stack, reporting memory
                    and handle growth, then the same checks
  -h, --help        this help`;

const Args = z.object({
  seed: z.coerce.number().int("--seed is a whole number"),
  runs: z.coerce.number().int().min(1, "--runs must be 1 or more"),
  budget: z.coerce.number().positive("--budget is minutes, more than 0"),
  maxSteps: z.coerce
    .number()
    .int()
    .min(1, "--max-steps must be 1 or more")
    .max(200, "--max-steps is at most 200"),
  out: z.string().min(1),
  soak: z.coerce.number().positive("--soak is minutes, more than 0").optional(),
});

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      options: {
        seed: { type: "string" },
        runs: { type: "string" },
        budget: { type: "string" },
        "max-steps": { type: "string" },
        out: { type: "string" },
        soak: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 1;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const args = Args.safeParse({
    seed: values.seed ?? Math.floor(Math.random() * 2 ** 31),
    runs: values.runs ?? 200,
    budget: values.budget ?? 10,
    maxSteps: values["max-steps"] ?? 16,
    out: values.out ?? ".local/chaos-scenario.json",
    soak: values.soak,
  });
  if (!args.success) {
    console.error(`${args.error.issues.map((i) => i.message).join("\n")}\n\n${HELP}`);
    return 1;
  }
  const a = args.data;
  if (a.soak !== undefined) {
    const soak = await runSoak({ seed: a.seed, minutes: a.soak, progress: (line) => console.log(line) });
    console.log(soak.report);
    return soak.divergences.length === 0 ? 0 : 3;
  }
  console.log(`chaos: seed ${a.seed}, up to ${a.runs} histories, budget ${a.budget} min`);
  const summary = await runCampaign({
    seed: a.seed,
    runs: a.runs,
    timeBudgetMs: a.budget * 60_000,
    maxSteps: a.maxSteps,
    onHistory: (result, s, scenario) => {
      const mark = result.divergences.length === 0 ? "ok" : `DIVERGED (${result.divergences.length})`;
      console.log(
        `history ${s.histories}: ${result.steps} steps, ${result.events} events, ${result.seconds.toFixed(1)} s` +
          `${result.slowestTimeToRevokeMs === null ? "" : `, slowest revoke ${(result.slowestTimeToRevokeMs / 1000).toFixed(2)} s (${result.slowestRevocation})`}: ${mark}`,
      );
      for (const d of result.divergences.slice(0, 5)) console.log(`  - ${d}`);
      // Every diverging history as it ran, before shrinking: a race may not survive the shrink.
      if (result.divergences.length > 0) console.log(formatScenario(scenario));
    },
  });
  console.log(formatSummary(summary));
  if (summary.counterexample) {
    console.log(`\n${formatScenario(summary.counterexample)}`);
    await mkdir(dirname(a.out), { recursive: true });
    await writeFile(a.out, formatScenario(summary.counterexample));
    console.log(
      `shrunk failing scenario written to ${a.out}: npx okta-aws-lifecycle replay-scenario ${a.out}`,
    );
    return 3;
  }
  return 0;
}

process.exitCode = await main();
