/** A team of the demo company: who is in it, and where its people and accounts are billed. */
export interface DemoTeam {
  name: string;
  department: string;
  costCenter: string;
  /** Okta users on the team, named demo users included. */
  headcount: number;
  /** Engineers build and run the product, and are in aws-developers. */
  engineering: boolean;
}

const TEAMS = [
  { name: "platform", department: "Engineering", costCenter: "CC-1100", headcount: 30, engineering: true },
  { name: "payments", department: "Engineering", costCenter: "CC-2100", headcount: 45, engineering: true },
  { name: "checkout", department: "Engineering", costCenter: "CC-2200", headcount: 30, engineering: true },
  { name: "search", department: "Engineering", costCenter: "CC-2300", headcount: 35, engineering: true },
  { name: "catalog", department: "Engineering", costCenter: "CC-2400", headcount: 25, engineering: true },
  { name: "data", department: "Engineering", costCenter: "CC-2500", headcount: 40, engineering: true },
  { name: "mobile", department: "Engineering", costCenter: "CC-2600", headcount: 30, engineering: true },
  { name: "security", department: "Security", costCenter: "CC-1500", headcount: 18, engineering: false },
  { name: "finance", department: "Finance", costCenter: "CC-3100", headcount: 22, engineering: false },
  { name: "people", department: "People", costCenter: "CC-3200", headcount: 20, engineering: false },
  {
    name: "support",
    department: "Customer Support",
    costCenter: "CC-4100",
    headcount: 60,
    engineering: false,
  },
  { name: "marketing", department: "Marketing", costCenter: "CC-5100", headcount: 45, engineering: false },
] as const satisfies readonly DemoTeam[];

/** The name of one of the demo's teams. */
export type DemoTeamName = (typeof TEAMS)[number]["name"];

/** The demo company's 400 people, by team. */
export const DEMO_TEAMS: readonly DemoTeam[] = TEAMS;

/** The team called `name` (the type admits only the demo's team names). */
export function demoTeam(name: DemoTeamName): DemoTeam {
  return TEAMS.find((candidate) => candidate.name === name) as DemoTeam;
}
