// Plain data shared by the seed and the start banner (no server-only imports: scripts read it too).

import { BASE_ROLES } from "../catalogue/roles";

export const DEMO_PASSWORD = "gatehouse-demo-2026";

export const DEMO_ORGS = [
  { slug: "xcorp", name: "XCorp", plan: "Enterprise", domain: "xcorp.example" },
  { slug: "techcorp", name: "TechCorp", plan: "Free", domain: "techcorp.example" },
] as const;

export interface DemoLogin {
  email: string;
  name: string;
  role: string;
}

/** Every demo login, for the seed, the start banner and the README. */
export function demoLogins(): DemoLogin[] {
  const logins: DemoLogin[] = [
    { email: "admin@gatehouse.example", name: "Pat Platform", role: "platform admin" },
    { email: "support@gatehouse.example", name: "Sam Support", role: "platform support" },
  ];
  for (const org of DEMO_ORGS) {
    for (const r of BASE_ROLES) {
      logins.push({ email: `${r.key}@${org.domain}`, name: `${org.name} ${r.name}`, role: `${r.name} of ${org.name}` });
    }
  }
  logins.push({ email: "john@xcorp.example", name: "John Smith", role: "Member of XCorp" });
  return logins;
}
