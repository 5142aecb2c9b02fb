import type Docker from "dockerode";
import { z } from "zod";
import { logger } from "../../observability/logger.ts";

/** A container event from Docker's stream, reduced to what healing and the reconcile loop use. */
export interface ContainerEvent {
  id: string;
  name: string;
  /** start, die, destroy, health_status: healthy|unhealthy, … */
  action: string;
  /** The health status for health_status events. */
  health?: "healthy" | "unhealthy" | "starting";
  labels: Record<string, string>;
  /** When Docker says it happened (nanoseconds since the epoch). */
  timeNano: bigint;
}

const eventSchema = z
  .object({
    Type: z.literal("container"),
    Action: z.string(),
    Actor: z.object({ ID: z.string(), Attributes: z.record(z.string(), z.string()).default({}) }),
    timeNano: z.union([z.number(), z.string()]).optional(),
    time: z.number().optional(),
  })
  .passthrough();

export const WATCHED_ACTIONS = ["start", "die", "destroy", "health_status"] as const;

/**
 * Follows Docker's event stream (no polling): one JSON object per event, parsed with a schema.
 * Returns a stop function. When the stream ends or fails it is reopened after a pause, so a
 * restarted Docker engine does not silently end healing.
 */
export function watchContainerEvents(
  docker: Docker,
  onEvent: (event: ContainerEvent) => void,
  options: { reconnectMs?: number } = {},
): () => void {
  let stopped = false;
  let current: NodeJS.ReadableStream | undefined;
  let timer: NodeJS.Timeout | undefined;

  const open = async () => {
    if (stopped) return;
    try {
      const stream = (await docker.getEvents({
        filters: { type: ["container"], event: [...WATCHED_ACTIONS] },
      })) as NodeJS.ReadableStream;
      current = stream;
      let buffer = "";
      stream.on("data", (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        let newline = buffer.indexOf("\n");
        while (newline >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line) handle(line);
          newline = buffer.indexOf("\n");
        }
      });
      const again = () => {
        if (!stopped) timer = setTimeout(open, options.reconnectMs ?? 2000);
      };
      stream.on("end", again);
      stream.on("error", again);
    } catch (error) {
      logger().warn({ error: (error as Error).message }, "docker event stream unavailable; retrying");
      if (!stopped) timer = setTimeout(open, options.reconnectMs ?? 2000);
    }
  };

  const handle = (line: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return;
    }
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) return;
    const { Action, Actor } = parsed.data;
    const [action, status] = Action.split(": ");
    const attributes = Actor.Attributes;
    const { name = Actor.ID.slice(0, 12), ...labels } = attributes;
    delete labels.image;
    delete labels.exitCode;
    const timeNano = BigInt(parsed.data.timeNano ?? (parsed.data.time ?? 0) * 1e9);
    onEvent({
      id: Actor.ID,
      name,
      action: action ?? Action,
      ...(status === "healthy" || status === "unhealthy" || status === "starting" ? { health: status } : {}),
      labels,
      timeNano,
    });
  };

  void open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    (current as { destroy?: () => void } | undefined)?.destroy?.();
  };
}
