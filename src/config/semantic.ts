import { isIP } from "node:net";
import type { PendingIssue } from "./config-issue.ts";
import { parseHostPort } from "./network-fields.ts";
import type { HomelabConfig } from "./schema.ts";
import { duplicates, lineOf, type SemanticContext } from "./semantic-helpers.ts";
import { checkIdentity } from "./semantic-identity.ts";
import { checkMonitoring, hasMonitoringContent } from "./semantic-monitoring.ts";
import { nodeAt } from "./source-tree.ts";

export type { SemanticContext } from "./semantic-helpers.ts";

/**
 * Rules that span fields, checked once the schema passed: uniqueness, references between
 * sections, targets that a section needs, files the config points at.
 */
export function checkSemantics(config: HomelabConfig, context: SemanticContext): PendingIssue[] {
  return [
    ...checkServices(config, context),
    ...(config.identity ? checkIdentity(config.identity, context) : []),
    ...(config.monitoring ? checkMonitoring(config.monitoring, context) : []),
    ...checkRequiredTargets(config),
    ...checkDockerEndpoints(config),
  ];
}

function checkServices(config: HomelabConfig, context: SemanticContext): PendingIssue[] {
  const services = config.services;
  const issues: PendingIssue[] = [];
  const sameName = duplicates(services, (service) => `${service.group}\u0000${service.name}`);
  for (const { index, first } of sameName) {
    const original = services[first] as HomelabConfig["services"][number];
    issues.push({
      path: ["services", index, "name"],
      rule: "duplicate-name",
      predicate: `repeats the service ${JSON.stringify(original.name)} of group ${JSON.stringify(original.group)} at line ${lineOf(context, ["services", first, "name"])}`,
      hint: "service names must be unique within a group (Homepage finds a widget by group and name)",
    });
  }
  const reported = new Set(sameName.map(({ index }) => index));
  for (const { index, first } of duplicates(services, (service) => service.slug)) {
    if (reported.has(index)) continue;
    const original = services[first] as HomelabConfig["services"][number];
    const explicit = nodeAt(context.root, ["services", index, "slug"]) !== undefined;
    issues.push({
      path: ["services", index, explicit ? "slug" : "name"],
      rule: "duplicate-slug",
      predicate: `gives the slug ${JSON.stringify(services[index]?.slug)}, already used by ${JSON.stringify(original.name)} at line ${lineOf(context, ["services", first, "name"])}`,
      hint: "set a distinct slug: on one of them; slugs key SSO applications and state",
    });
  }
  services.forEach((service, index) => {
    const own = new Set([service.name.toLowerCase(), service.slug]);
    service.depends_on?.forEach((dependency, dependencyIndex) => {
      if (!own.has(dependency.toLowerCase())) return;
      issues.push({
        path: ["services", index, "depends_on", dependencyIndex],
        rule: "self-dependency",
        predicate: "names the service itself",
        hint: "remove it: a service cannot depend on itself",
      });
    });
    if (service.sso !== "none" && service.href === undefined) {
      issues.push({
        path: ["services", index, "sso"],
        rule: "sso-needs-href",
        predicate: `is ${service.sso} but the service has no href`,
        hint: "add href: Authentik needs the service's external URL as launch URL / external host",
      });
    }
  });
  return issues;
}

function checkRequiredTargets(config: HomelabConfig): PendingIssue[] {
  const issues: PendingIssue[] = [];
  if (config.monitoring && hasMonitoringContent(config.monitoring) && !config.targets.grafana) {
    issues.push({
      path: ["monitoring"],
      rule: "missing-target",
      predicate: "needs targets.grafana to be configured",
      hint: 'add targets.grafana: {url: https://grafana.lab.example.com, token: "${secret:grafana_token}"}',
    });
  }
  if (!config.targets.authentik) {
    const identity = config.identity;
    const ssoIndex = config.services.findIndex((service) => service.sso !== "none");
    const path =
      identity && (identity.groups.length > 0 || identity.users.length > 0)
        ? ["identity"]
        : ssoIndex >= 0
          ? ["services", ssoIndex, "sso"]
          : undefined;
    if (path) {
      issues.push({
        path,
        rule: "missing-target",
        predicate: "needs targets.authentik to be configured (Authentik manages SSO, users and groups)",
        hint: 'add targets.authentik: {url: https://auth.lab.example.com, token: "${secret:authentik_token}"}',
      });
    }
  }
  return issues;
}

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

/** Plain tcp:// to a remote Docker daemon gives root on that host to anyone on the path. */
function checkDockerEndpoints(config: HomelabConfig): PendingIssue[] {
  const docker = config.targets.docker;
  if (!docker || docker.tls) return [];
  return docker.endpoints.flatMap((endpoint, index) => {
    if (!endpoint.startsWith("tcp://")) return [];
    const address = parseHostPort(endpoint.slice("tcp://".length));
    if (!address || isLoopback(address.host)) return [];
    return [
      {
        path: ["targets", "docker", "endpoints", index],
        rule: "plaintext-docker",
        predicate: "reaches a remote Docker daemon without TLS",
        hint: "add targets.docker.tls {ca, cert, key} and use the daemon's TLS port (2376)",
        severity: "warning" as const,
      },
    ];
  });
}
