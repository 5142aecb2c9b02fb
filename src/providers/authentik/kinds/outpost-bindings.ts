import { z } from "zod";
import type { ResourceKind } from "../../../engine/resource-kind.ts";
import { AutopilotError } from "../../../errors/autopilot-error.ts";
import { callAuthentik } from "../api-call.ts";
import { OutpostWriter } from "../outpost-writer.ts";
import type { AuthentikSession } from "../session.ts";
import { observed } from "./kind-helpers.ts";

/** A proxy provider attached to the embedded outpost, keyed by the provider's name. */
export interface OutpostBindingSpec extends Record<string, unknown> {
  providerName: string;
  /** The proxy provider's integer pk. */
  provider: number;
}

export interface ObservedBinding {
  providerName: string;
  provider: number;
}

const outpostSchema = z
  .object({
    pk: z.string(),
    type: z.string(),
    providers: z.array(z.number()),
    providersObj: z.array(z.object({ pk: z.number(), name: z.string() }).passthrough()),
  })
  .passthrough();

/**
 * Bindings of proxy providers to the embedded outpost. The outpost is not Autopilot's: it holds
 * providers others attached, and PATCH replaces its whole `providers` list. So every change is a
 * read-modify-write of a fresh copy — add or remove exactly our pk, keep everything else — and
 * concurrent changes go through one queue (OutpostWriter), or they would drop each other's pks.
 */
export const outpostBindingKind: ResourceKind<OutpostBindingSpec, ObservedBinding, AuthentikSession> = {
  kind: "outpost-binding",
  dependsOnKinds: ["proxy-provider"],
  // The writer sends one request per round of queued changes; a binding waiting for its round
  // must not hold one of Authentik's write slots (100 bindings held them ~75 ms each).
  writeConcurrency: Number.POSITIVE_INFINITY,
  keyOf: (binding) => binding.providerName,
  idOf: (binding) => String(binding.provider),
  async list(session) {
    const outpost = await freshOutpost(session);
    return outpost.providersObj.map((provider) => ({ providerName: provider.name, provider: provider.pk }));
  },
  diff: (spec, binding) =>
    spec.provider === binding.provider
      ? []
      : [{ path: "provider", before: binding.provider, after: spec.provider }],
  async create(session, spec) {
    await writerFor(session).add(spec.provider);
    return { providerName: spec.providerName, provider: spec.provider };
  },
  async update(session, spec, binding) {
    await writerFor(session).replace(binding.provider, spec.provider);
    return { providerName: spec.providerName, provider: spec.provider };
  },
  async delete(session, binding) {
    await writerFor(session).remove(binding.provider);
  },
  output: (binding, field) => binding[field as keyof ObservedBinding],
};

const writers = new WeakMap<AuthentikSession, OutpostWriter>();

/** One writer per session: concurrent bindings must not overwrite each other's provider lists. */
function writerFor(session: AuthentikSession): OutpostWriter {
  let writer = writers.get(session);
  if (!writer) {
    writer = new OutpostWriter({
      read: async () => {
        const outpost = await freshOutpost(session);
        if (outpost.type !== "proxy") {
          throw new AutopilotError("invalid", `the embedded outpost has type ${outpost.type}, not proxy`);
        }
        return { uuid: outpost.pk, providers: outpost.providers };
      },
      write: (uuid, providers) => patchProviders(session, uuid, providers),
    });
    writers.set(session, writer);
  }
  return writer;
}

async function freshOutpost(session: AuthentikSession) {
  const uuid = await session.embeddedOutpost();
  const outpost = await callAuthentik(session.http, () =>
    session.outposts.outpostsInstancesRetrieve({ uuid }),
  );
  return observed(outpostSchema, "outpost", outpost);
}

async function patchProviders(session: AuthentikSession, uuid: string, providers: number[]): Promise<void> {
  await callAuthentik(session.http, () =>
    session.outposts.outpostsInstancesPartialUpdate({ uuid, patchedOutpostRequest: { providers } }),
  );
}
