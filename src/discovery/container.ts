import type { LabelProblem } from "./homepage-labels.ts";

/** One container as discovery saw it on one Docker endpoint, running or not. */
export interface DiscoveredContainer {
  readonly id: string;
  /** Without Docker's leading "/". */
  readonly name: string;
  readonly endpoint: string;
  readonly image: string;
  readonly state: string;
  readonly health?: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * A service that cannot be used: a container's labels (each reason names its label) or a config
 * service whose widget Homepage could not show (each reason names the config path).
 */
export interface Refusal {
  /** "container grafana" or "config services[2]". */
  readonly origin: string;
  readonly container?: string;
  readonly endpoint?: string;
  /** The service name when the labels got that far. */
  readonly service?: string;
  readonly problems: readonly LabelProblem[];
}

/** Something worth knowing that did not stop the service (a bad `fields` list, an ignored label). */
export interface DiscoveryWarning {
  readonly container: string;
  readonly label: string;
  readonly reason: string;
}

export function refusalMessage(refusal: Refusal): string {
  const what = refusal.container === undefined ? "" : "label ";
  return refusal.problems
    .map((problem) => `${refusal.origin}: ${what}${problem.label} ${problem.reason}`)
    .join("; ");
}

const COMPOSE_PROJECT = "com.docker.compose.project";
const COMPOSE_SERVICE = "com.docker.compose.service";
const COMPOSE_DEPENDS_ON = "com.docker.compose.depends_on";

export function composeIdentity(
  labels: Readonly<Record<string, string>>,
): { project: string; service: string } | undefined {
  const project = labels[COMPOSE_PROJECT];
  const service = labels[COMPOSE_SERVICE];
  return project && service ? { project, service } : undefined;
}

/**
 * Compose services this container's service depends on. Compose writes
 * `db:service_started:false,redis:service_healthy:true` (older versions just `db,redis`).
 */
export function composeDependencies(labels: Readonly<Record<string, string>>): string[] {
  const value = labels[COMPOSE_DEPENDS_ON];
  if (!value) return [];
  return value
    .split(",")
    .map((entry) => (entry.split(":")[0] ?? "").trim())
    .filter((name) => /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name));
}

export const COMPOSE_DEPENDS_ON_LABEL = COMPOSE_DEPENDS_ON;
