import { isDnsName } from "../config/network-fields.ts";
import { urlProblem } from "../config/url-field.ts";

/**
 * A container's public URL as its Traefik router says: `traefik.http.routers.<r>.rule=
 * Host(\`a.example.com\`) && PathPrefix(\`/app\`)` gives https://a.example.com/app when the router
 * has TLS (`.tls=true`, a `.tls.*` option, or a secure-looking entrypoint: websecure, https, 443)
 * and http:// otherwise. Routers with TLS are preferred, then by name. `traefik.enable=false`
 * means none.
 */
export interface InferredHref {
  readonly href: string;
  /** The rule label it came from. */
  readonly label: string;
}

const ROUTER_RULE = /^traefik\.http\.routers\.([A-Za-z0-9_@-]+)\.rule$/;
const SECURE_ENTRYPOINT = /^(websecure|web-secure|https|secure|443|tls)$/i;
const MATCHER = /\b(Host|PathPrefix|Path)\(\s*((?:`[^`]*`|"[^"]*")(?:\s*,\s*(?:`[^`]*`|"[^"]*"))*)\s*\)/g;

export function hrefFromTraefik(labels: Readonly<Record<string, string>>): InferredHref | undefined {
  if (labels["traefik.enable"]?.trim().toLowerCase() === "false") return undefined;
  const candidates: { router: string; secure: boolean; href: string; label: string }[] = [];
  for (const [label, rule] of Object.entries(labels)) {
    const router = ROUTER_RULE.exec(label)?.[1];
    if (router === undefined) continue;
    const target = parseRule(rule);
    if (!target) continue;
    const secure = routerIsSecure(labels, router);
    const href = `${secure ? "https" : "http"}://${target.host}${target.path}`;
    if (urlProblem(href) === undefined) candidates.push({ router, secure, href, label });
  }
  candidates.sort((a, b) => Number(b.secure) - Number(a.secure) || a.router.localeCompare(b.router));
  const best = candidates[0];
  return best ? { href: best.href, label: best.label } : undefined;
}

/** The first host of the rule and its path prefix, or undefined when the rule has no plain Host(). */
export function parseRule(rule: string): { host: string; path: string } | undefined {
  let host: string | undefined;
  let path = "";
  for (const match of rule.matchAll(MATCHER)) {
    const first = (match[2] ?? "").match(/`([^`]*)`|"([^"]*)"/);
    const argument = first?.[1] ?? first?.[2] ?? "";
    if (match[1] === "Host" && host === undefined) host = argument.toLowerCase();
    else if (match[1] !== "Host" && path === "" && /^\/[A-Za-z0-9._~/-]*$/.test(argument))
      path = argument.replace(/\/+$/, "");
  }
  if (host === undefined || !isDnsName(host)) return undefined;
  return { host, path };
}

function routerIsSecure(labels: Readonly<Record<string, string>>, router: string): boolean {
  const base = `traefik.http.routers.${router}.`;
  if (labels[`${base}tls`]?.trim().toLowerCase() === "true") return true;
  if (Object.keys(labels).some((label) => label.startsWith(`${base}tls.`))) return true;
  const entrypoints = (labels[`${base}entrypoints`] ?? "").split(",").map((item) => item.trim());
  return entrypoints.some((entrypoint) => SECURE_ENTRYPOINT.test(entrypoint));
}
