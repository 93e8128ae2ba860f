import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The shadcn registry Gatehouse serves at /r/registry.json and /r/<item>.json (README "Sign-in kit
 * across origins"), built from the very source files the app runs. Each item lists the files it
 * needs (imports followed through lib/ and sibling components), its npm packages (`name@version`
 * from package.json) and, as registryDependencies, only other items of this registry (full URLs):
 * installing never reaches the public shadcn registry.
 */

export interface ItemSpec {
  name: string;
  title: string;
  description: string;
  /** The item's own entry files; what they import is added (or depended on) automatically. */
  files: string[];
  type?: "registry:block" | "registry:component";
}

/** The items people install; UI primitives (components/ui) and lib/utils become items of their own. */
export const ITEMS: ItemSpec[] = [
  {
    name: "login-kit",
    title: "Gatehouse sign-in kit core",
    description: "The sign-in state store and the calls to Gatehouse's /api/login/* (same origin or across origins), the step frame and the password field.",
    files: ["components/login/login-kit.tsx", "components/login/step-card.tsx", "components/login/password-field.tsx"],
  },
  {
    name: "login-state-manager",
    title: "Login state manager",
    description: "Renders the one component for the state Gatehouse says this sign-in is in; the other steps load on demand.",
    files: ["components/login/login-state-manager.tsx"],
    type: "registry:block",
  },
  { name: "login-and-signup", title: "Sign in / sign up", description: "LOGIN_REQUIRED: password, sign-up and sign-in link.", files: ["components/login/login-and-signup.tsx"] },
  { name: "confirm-your-email", title: "Confirm your email", description: "EMAIL_NOT_CONFIRMED_YET: check your inbox, resend, change the address.", files: ["components/login/confirm-your-email.tsx"] },
  { name: "update-password", title: "Update password", description: "UPDATE_PASSWORD_REQUIRED: choose a new password.", files: ["components/login/update-password.tsx"] },
  { name: "update-user-property", title: "Missing details", description: "USER_MISSING_REQUIRED_PROPERTIES: a form for the missing fields.", files: ["components/login/update-user-property.tsx"] },
  { name: "enroll-in-mfa", title: "Set up two-factor authentication", description: "TWO_FACTOR_ENROLLMENT_REQUIRED: QR code, otpauth:// link, grouped key, backup codes.", files: ["components/login/enroll-in-mfa.tsx"] },
  { name: "verify-mfa", title: "Two-factor code", description: "TWO_FACTOR_REQUIRED: an authenticator or backup code.", files: ["components/login/verify-mfa.tsx"] },
  { name: "join-an-organization", title: "Join an organization", description: "USER_MUST_BE_IN_AT_LEAST_ONE_ORG: invitations, domain auto-join, create an org.", files: ["components/login/join-an-organization.tsx"] },
  { name: "logged-in", title: "Signed in", description: "LOGGED_IN: opens the session and redirects at once, with a visible fallback link.", files: ["components/login/logged-in.tsx"] },
  { name: "members-table", title: "Members table", description: "An org's members with role changes and removal (Gatehouse's /api/orgs/<slug>/members).", files: ["components/console/members-table.tsx"], type: "registry:block" },
  { name: "audit-explorer", title: "Audit explorer", description: "Filter, browse and verify an org's audit trail (Gatehouse's /api/orgs/<slug>/audit).", files: ["components/audit/audit-explorer.tsx"], type: "registry:block" },
];

export const THEME_ITEM = "gatehouse-theme";
const THEME_FILE = "styles/gatehouse-theme.css";
const UTILS_FILE = "lib/utils.ts";
/** Provided by every Next.js app the kit goes into. */
const HOST_PACKAGES = new Set(["react", "react-dom", "next"]);

type FileType = "registry:ui" | "registry:lib" | "registry:hook" | "registry:component" | "registry:file";

export interface RegistryFile {
  path: string;
  type: FileType;
  target?: string;
  content?: string;
}

export interface RegistryItem {
  $schema: string;
  name: string;
  type: string;
  title: string;
  description: string;
  dependencies: string[];
  registryDependencies: string[];
  files: RegistryFile[];
  cssVars?: { theme?: Record<string, string>; light: Record<string, string>; dark: Record<string, string> };
}

const IMPORT_RE = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

export function importsOf(source: string): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(IMPORT_RE)) out.add((m[1] ?? m[2])!);
  return [...out];
}

function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function fileType(rel: string): FileType {
  if (rel.startsWith("components/ui/")) return "registry:ui";
  if (rel.startsWith("lib/hooks/")) return "registry:hook";
  if (rel.startsWith("lib/")) return "registry:lib";
  if (rel.endsWith(".css")) return "registry:file";
  return "registry:component";
}

export class Registry {
  private readonly versions: Record<string, string>;
  private readonly owner = new Map<string, string>();
  private readonly cache = new Map<string, RegistryItem>();

  constructor(
    private readonly root: string,
    /** Origin the registry is served from (APP_URL): registryDependencies are full URLs on it. */
    private readonly origin: string,
    private readonly specs: ItemSpec[] = ITEMS,
  ) {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    this.versions = { ...pkg.devDependencies, ...pkg.dependencies };
    for (const spec of specs) for (const f of spec.files) this.owner.set(f, spec.name);
  }

  private read(rel: string): string {
    return readFileSync(path.join(this.root, rel), "utf8");
  }

  private resolve(fromRel: string, spec: string): string | null {
    let base: string;
    if (spec.startsWith("@/")) base = spec.slice(2);
    else if (spec.startsWith("./") || spec.startsWith("../")) base = path.posix.join(path.posix.dirname(fromRel), spec);
    else return null;
    for (const cand of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
      if (/\.(tsx?|css)$/.test(cand) && existsSync(path.join(this.root, cand))) return cand;
    }
    throw new Error(`${fromRel}: cannot resolve "${spec}"`);
  }

  private itemUrl(name: string): string {
    return `${this.origin}/r/${name}.json`;
  }

  /** Every item name this registry serves: the listed items, the UI primitives they use, utils and the theme. */
  names(): string[] {
    const names = new Set<string>();
    const visit = (name: string) => {
      if (names.has(name)) return;
      names.add(name);
      for (const dep of this.item(name).registryDependencies) visit(dep.slice(`${this.origin}/r/`.length, -".json".length));
    };
    for (const spec of this.specs) visit(spec.name);
    return [...names];
  }

  has(name: string): boolean {
    return this.names().includes(name);
  }

  item(name: string): RegistryItem {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const built = this.build(name);
    this.cache.set(name, built);
    return built;
  }

  private build(name: string): RegistryItem {
    if (name === THEME_ITEM) return this.themeItem();
    let spec = this.specs.find((s) => s.name === name);
    let type: string = spec?.type ?? "registry:component";
    if (!spec && name === "utils") {
      spec = { name, title: "cn()", description: "Class name helper of the kit's components.", files: [UTILS_FILE] };
      type = "registry:lib";
    }
    if (!spec && /^[a-z0-9-]+$/.test(name) && existsSync(path.join(this.root, `components/ui/${name}.tsx`))) {
      spec = { name, title: name, description: `The ${name} primitive of Gatehouse's components.`, files: [`components/ui/${name}.tsx`] };
      type = "registry:ui";
    }
    if (!spec) throw new Error(`no registry item "${name}"`);

    const files: string[] = [];
    const deps = new Set<string>();
    const registryDeps = new Set<string>();
    const queue = [...spec.files];
    while (queue.length) {
      const rel = queue.shift()!;
      if (files.includes(rel)) continue;
      files.push(rel);
      const source = this.read(rel);
      for (const imp of importsOf(source)) {
        if (imp === "server-only") throw new Error(`${rel} is server code and cannot be in the registry item "${name}"`);
        const target = this.resolve(rel, imp);
        if (target === null) {
          const pkg = packageName(imp);
          if (HOST_PACKAGES.has(pkg)) continue;
          const version = this.versions[pkg];
          if (!version) throw new Error(`${rel} imports "${pkg}", which package.json does not list`);
          deps.add(`${pkg}@${version}`);
          continue;
        }
        const own = this.owner.get(target);
        if (own && own !== name) registryDeps.add(this.itemUrl(own));
        else if (target === UTILS_FILE && name !== "utils") registryDeps.add(this.itemUrl("utils"));
        else if (target.startsWith("components/ui/") && fileType(rel) !== "registry:ui") registryDeps.add(this.itemUrl(path.posix.basename(target).replace(/\.tsx?$/, "")));
        else if (!files.includes(target)) queue.push(target);
      }
    }
    // The kit's components read the theme tokens.
    if (name === "login-kit") registryDeps.add(this.itemUrl(THEME_ITEM));
    return {
      $schema: "https://ui.shadcn.com/schema/registry-item.json",
      name,
      type,
      title: spec.title,
      description: spec.description,
      dependencies: [...deps].sort(),
      registryDependencies: [...registryDeps].sort(),
      files: files.map((rel) => {
        const t = fileType(rel);
        // UI primitives and utils go where the host app keeps them; the rest keeps Gatehouse's layout.
        return { path: rel, type: t, ...(t === "registry:ui" || rel === UTILS_FILE ? {} : { target: rel }), content: this.read(rel) };
      }),
    };
  }

  private themeItem(): RegistryItem {
    const css = this.read(THEME_FILE);
    const block = (selector: string) => {
      const m = new RegExp(`${selector.replace(".", "\\.")}\\s*\\{([^}]*)\\}`).exec(css);
      const vars: Record<string, string> = {};
      for (const d of (m?.[1] ?? "").matchAll(/--([a-z0-9-]+):\s*([^;]+);/g)) vars[d[1]!] = d[2]!.trim();
      return vars;
    };
    const light = block(":root");
    const dark = block(".dark");
    const theme: Record<string, string> = {};
    if (light.radius) {
      theme.radius = light.radius;
      delete light.radius;
    }
    return {
      $schema: "https://ui.shadcn.com/schema/registry-item.json",
      name: THEME_ITEM,
      type: "registry:theme",
      title: "Gatehouse theme tokens",
      description: "The CSS variables (shadcn convention) the kit's components read; set --primary to your brand's accent.",
      dependencies: [],
      registryDependencies: [],
      files: [{ path: THEME_FILE, type: "registry:file", target: THEME_FILE, content: css }],
      cssVars: { theme, light, dark },
    };
  }

  /** /r/registry.json: every item, files without their content. */
  index() {
    return {
      $schema: "https://ui.shadcn.com/schema/registry.json",
      name: "gatehouse",
      homepage: this.origin,
      items: this.names().map((n) => {
        const { $schema: _schema, files, ...rest } = this.item(n);
        return { ...rest, files: files.map(({ content: _content, ...f }) => f) };
      }),
    };
  }
}
