import type Docker from "dockerode";
import { z } from "zod";
import { createResiliencePipeline, type ResiliencePipeline } from "../http/policies.ts";
import { nextRequestId } from "../http/request-id.ts";
import { logger } from "../observability/logger.ts";
import { histogram } from "../observability/metrics.ts";
import { type DockerTlsFiles, dockerClientFor } from "../providers/docker/engine-connection.ts";
import type { DiscoveredContainer } from "./container.ts";
import { dockerError } from "./docker-errors.ts";

/**
 * Lists every container (running, stopped, created) of every configured Docker endpoint: one
 * call per endpoint through the resilience pipeline. An endpoint that fails is reported, not
 * fatal; callers must not read its absence as "its containers are gone".
 */
export interface DockerEndpoints {
  readonly endpoints: readonly string[];
  readonly tls?: DockerTlsFiles;
  readonly resolvePath: (path: string) => string;
}

export interface DiscoveryFailure {
  readonly endpoint: string;
  readonly error: Error;
}

export interface ContainerListing {
  readonly containers: DiscoveredContainer[];
  readonly failures: DiscoveryFailure[];
}

const listedSchema = z.array(
  z
    .object({
      Id: z.string(),
      Names: z.array(z.string()).default([]),
      Image: z.string().default(""),
      State: z.string().default(""),
      Status: z.string().default(""),
      Labels: z.record(z.string(), z.string()).nullable().default({}),
    })
    .passthrough(),
);

const listSeconds = histogram(
  "discovery_list_duration_seconds",
  "Time to list the containers of one Docker endpoint",
  ["outcome"],
);

export interface ListDeps {
  /** Builds the dockerode client (tests inject a failing one). */
  client?: (endpoint: string) => Promise<Docker>;
  pipeline?: ResiliencePipeline;
}

export async function listContainers(
  settings: DockerEndpoints,
  deps: ListDeps = {},
): Promise<ContainerListing> {
  const pipeline = deps.pipeline ?? createResiliencePipeline("docker", { timeoutMs: 15_000 });
  const client =
    deps.client ?? ((endpoint: string) => dockerClientFor(endpoint, settings.tls, settings.resolvePath));
  const results = await Promise.all(
    settings.endpoints.map(async (endpoint) => {
      const stop = listSeconds.startTimer();
      try {
        const docker = await client(endpoint);
        const raw = await pipeline.execute(
          async ({ signal }) => {
            const context = {
              target: "docker",
              method: "GET",
              route: "/containers/json",
              requestId: nextRequestId(),
            };
            try {
              return await docker.listContainers({ all: true, abortSignal: signal });
            } catch (error) {
              throw dockerError(error, context, endpoint);
            }
          },
          { idempotent: true },
        );
        stop({ outcome: "success" });
        return { containers: listedSchema.parse(raw).map((item) => containerOf(endpoint, item)) };
      } catch (error) {
        stop({ outcome: "failure" });
        const failure = error instanceof Error ? error : new Error(String(error));
        logger().warn({ endpoint, error: failure.message }, "Docker endpoint could not be listed");
        return { failure: { endpoint, error: failure } };
      }
    }),
  );
  return {
    containers: results.flatMap((result) => result.containers ?? []),
    failures: results.flatMap((result) => (result.failure ? [result.failure] : [])),
  };
}

function containerOf(endpoint: string, item: z.infer<typeof listedSchema>[number]): DiscoveredContainer {
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(item.Status)?.[1];
  return {
    id: item.Id,
    name: (item.Names[0] ?? item.Id.slice(0, 12)).replace(/^\//, ""),
    endpoint,
    image: item.Image,
    state: item.State,
    ...(health ? { health: health === "health: starting" ? "starting" : health } : {}),
    labels: item.Labels ?? {},
  };
}
